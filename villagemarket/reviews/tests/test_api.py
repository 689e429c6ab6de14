"""Reviews API: the same permissions as the pages, one error body, retries replayed."""

from __future__ import annotations

import pytest

from villagemarket.reviews.models import Review

from .factories import completed_order, photo

pytestmark = pytest.mark.django_db
API = "/api/v1/reviews/"
FORM = {"item_stars": 5, "service_stars": 4, "delivery_stars": 3, "text": "很好"}


@pytest.fixture
def order(buyer, address, sku_a):
    return completed_order(buyer, address, sku_a)


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("alice", 404), ("bob", 404), ("operator", 404), ("buyer", 201)],
)
def test_who_may_review_an_order_line(people, order, who, status):
    line = order.lines.get()
    response = people[who].post(f"{API}lines/{line.pk}", FORM)
    assert response.status_code == status, response.content
    assert Review.objects.count() == (1 if status == 201 else 0)


def test_posting_twice_is_a_conflict_and_a_retry_with_the_key_replays(people, order):
    line = order.lines.get()
    first = people["buyer"].post(f"{API}lines/{line.pk}", FORM, headers={"Idempotency-Key": "k1"})
    again = people["buyer"].post(f"{API}lines/{line.pk}", FORM, headers={"Idempotency-Key": "k1"})
    other = people["buyer"].post(f"{API}lines/{line.pk}", FORM)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert other.status_code == 409 and other.json()["code"] == "already_reviewed"


def test_bad_stars_name_the_field(people, order):
    line = order.lines.get()
    response = people["buyer"].post(f"{API}lines/{line.pk}", {**FORM, "item_stars": 9})
    assert response.status_code == 422
    assert "item_stars" in str(response.json()["fields"])
    assert not Review.objects.exists()


def test_photos_upload_through_the_api(people, order):
    line = order.lines.get()
    response = people["buyer"].post(
        f"{API}lines/{line.pk}", {**FORM, "photos": [photo("a.jpg"), photo("b.jpg")]}
    )
    assert response.status_code == 201, response.content
    assert len(response.json()["photos"]) == 2


def test_public_list_rating_and_shop_ratings(people, order, sku_a):
    line = order.lines.get()
    people["buyer"].post(f"{API}lines/{line.pk}", {**FORM, "anonymous": "true"})
    listed = people["anonymous"].get(f"{API}products/{sku_a.product_id}").json()
    assert listed["count"] == 1 and listed["items"][0]["author"] == "B***r"
    assert people["anonymous"].get(f"{API}products/{sku_a.product_id}?stars=1").json()["count"] == 0
    rating = people["anonymous"].get(f"{API}products/{sku_a.product_id}/rating").json()
    assert rating["average"] == "5.00" or float(rating["average"]) == 5.0
    assert rating["count"] == 1 and rating["by_stars"]["5"] == 1
    shop = people["anonymous"].get(f"{API}shops/{order.shop.slug}/ratings").json()
    assert float(shop["shop"]["service"]) == 4.0 and shop["shop"]["count"] == 1
    assert shop["reputation"]["score"] == 1 + 2  # one completed order, one positive rating


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("buyer", 404), ("bob", 404), ("operator", 404), ("alice", 201)],
)
def test_only_the_shops_staff_reply(people, order, who, status):
    line = order.lines.get()
    review_id = people["buyer"].post(f"{API}lines/{line.pk}", FORM).json()["id"]
    url = f"{API}shops/{order.shop.slug}/reviews/{review_id}/reply"
    response = people[who].post(url, {"text": "谢谢"}, content_type="application/json")
    assert response.status_code == status, response.content
    assert bool(Review.objects.get().reply_at) == (status == 201)
    if status == 201:
        again = people[who].post(url, {"text": "再谢"}, content_type="application/json")
        assert again.status_code == 409


def test_reviewable_lines_and_follow_up(people, order):
    line = order.lines.get()
    assert [r["line_id"] for r in people["buyer"].get(f"{API}mine/reviewable").json()] == [line.pk]
    review_id = people["buyer"].post(f"{API}lines/{line.pk}", FORM).json()["id"]
    assert people["buyer"].get(f"{API}mine/reviewable").json() == []
    assert people["bob"].post(f"{API}{review_id}/follow-up", {"text": "x"}).status_code == 404
    response = people["buyer"].post(f"{API}{review_id}/follow-up", {"text": "一个月后"})
    assert response.status_code == 201 and response.json()["follow_up"]["text"] == "一个月后"
