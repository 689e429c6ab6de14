"""Review pages and panels: who sees what, forms that keep the input, filters without JS."""

from __future__ import annotations

import pytest

from villagemarket.reviews import services
from villagemarket.reviews.models import Review

from .factories import completed_days_ago, completed_order, photo, stars

pytestmark = pytest.mark.django_db
FORM = {"item_stars": "4", "service_stars": "5", "delivery_stars": "3", "text": "很合身"}


@pytest.fixture
def order(buyer, address, sku_a):
    return completed_order(buyer, address, sku_a)


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("alice", 404), ("bob", 404), ("buyer", 302)]
)
def test_who_may_post_the_review_form(people, order, who, status):
    line = order.lines.get()
    response = people[who].post(f"/reviews/lines/{line.pk}/write/", FORM)
    assert response.status_code == status
    if who == "anonymous":
        assert "/accounts/" in response["Location"]
    assert Review.objects.count() == (1 if who == "buyer" else 0)


def test_bad_input_is_shown_with_what_was_typed(people, order):
    line = order.lines.get()
    response = people["buyer"].post(f"/reviews/lines/{line.pk}/write/", {**FORM, "item_stars": "9"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "很合身" in page and 'id="f-item_stars"' in page
    assert not Review.objects.exists()


def test_the_order_page_offers_a_review_while_the_window_is_open(people, order):
    url = f"/orders/{order.pk}/"
    assert "Write a review" in people["buyer"].get(url).content.decode()
    completed_days_ago(order, 16)
    assert "Write a review" not in people["buyer"].get(url).content.decode()


def test_a_review_with_a_photo_posted_from_the_page_shows_on_the_product(people, order, sku_a):
    line = order.lines.get()
    response = people["buyer"].post(
        f"/reviews/lines/{line.pk}/write/", {**FORM, "photos": [photo()]}
    )
    assert response.status_code == 302
    page = people["anonymous"].get(f"/p/{sku_a.product_id}/").content.decode()
    assert "很合身" in page and "/media/reviews/" in page
    assert "4.0" in page and "1 rating" in page


def test_the_star_filter_is_links_that_work_without_javascript(buyer, address, sku_a, client):
    for item, text in ((5, "五星好评"), (2, "两星差评")):
        order = completed_order(buyer, address, sku_a)
        services.post_review(
            buyer=buyer, line_id=order.lines.get().pk, text=text, **stars(item=item)
        )
    everything = client.get(f"/p/{sku_a.product_id}/").content.decode()
    assert "五星好评" in everything and "两星差评" in everything
    assert "?stars=2#reviews" in everything
    two = client.get(f"/p/{sku_a.product_id}/?stars=2").content.decode()
    assert "两星差评" in two and "五星好评" not in two


def test_reviews_are_paginated(buyer, address, sku_a, client, monkeypatch):
    from villagemarket.reviews import panels

    monkeypatch.setattr(panels, "PER_PAGE", 1)
    for text in ("第一条", "第二条"):
        order = completed_order(buyer, address, sku_a)
        services.post_review(buyer=buyer, line_id=order.lines.get().pk, text=text, **stars())
    first = client.get(f"/p/{sku_a.product_id}/").content.decode()
    assert "第二条" in first and "第一条" not in first and "rpage=2" in first
    second = client.get(f"/p/{sku_a.product_id}/?rpage=2").content.decode()
    assert "第一条" in second


def test_the_shop_page_shows_its_ratings_beside_the_category(buyer, address, sku_a, client):
    order = completed_order(buyer, address, sku_a)
    services.post_review(buyer=buyer, line_id=order.lines.get().pk, **stars(4, 3, 5))
    page = client.get(f"/shops/{order.shop.slug}/").content.decode()
    assert "Category average" in page and "<td>3.0</td>" in page and "Seller's service" in page


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("buyer", 404), ("bob", 404), ("alice", 200)]
)
def test_who_sees_the_seller_reviews_page(people, order, who, status):
    response = people[who].get(f"/seller/{order.shop.slug}/reviews/")
    assert response.status_code == status


def test_the_seller_replies_once_from_the_reviews_page(people, order, buyer, sku_a):
    review = services.post_review(buyer=buyer, line_id=order.lines.get().pk, **stars())
    url = f"/seller/{order.shop.slug}/reviews/{review.pk}/reply/"
    assert people["bob"].post(url, {"reply": "冒充"}).status_code == 404
    assert people["alice"].post(url, {"reply": "谢谢您"}).status_code == 302
    again = people["alice"].post(url, {"reply": "再次"})
    assert again.status_code == 422 and "already replied" in again.content.decode()
    assert Review.objects.get().reply_text == "谢谢您"
    assert "谢谢您" in people["anonymous"].get(f"/p/{sku_a.product_id}/").content.decode()


def test_pages_in_chinese(people, order, buyer, sku_a):
    review = services.post_review(buyer=buyer, line_id=order.lines.get().pk, **stars())
    services.reply_to_review(
        shop=order.shop, user=order.shop.members.get().user, review_id=review.pk, text="谢谢"
    )
    for who, url in [
        ("anonymous", f"/p/{sku_a.product_id}/"),
        ("anonymous", f"/shops/{order.shop.slug}/"),
        ("buyer", f"/orders/{order.pk}/"),
        ("alice", f"/seller/{order.shop.slug}/reviews/"),
        ("buyer", f"/reviews/{review.pk}/follow-up/"),
    ]:
        response = people[who].get(url, headers={"Accept-Language": "zh-hans"})
        assert response.status_code == 200, url
