"""Who may review what, once, and when; follow-ups; seller replies; anonymous names; flags."""

from __future__ import annotations

import pytest

from villagemarket.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from villagemarket.reviews import hooks, selectors, services
from villagemarket.reviews.models import Review
from villagemarket.reviews.rules import mask_name
from villagemarket.shops.models import ShopMember
from villagemarket.testing.personas import make_user

from .factories import completed_days_ago, completed_order, stars

pytestmark = pytest.mark.django_db


def review(buyer, order, **extra):
    return services.post_review(buyer=buyer, line_id=order.lines.get().pk, **{**stars(), **extra})


def test_buyer_reviews_a_completed_order_line(buyer, address, sku_a):
    order = completed_order(buyer, address, sku_a)
    posted = review(buyer, order, text="做工很好")
    assert posted.product_id == sku_a.product_id
    assert posted.shop_id == order.shop_id and posted.order_id == order.pk
    assert list(selectors.product_reviews(sku_a.product_id)) == [posted]


def _refusal(call) -> type:
    with pytest.raises(DomainError) as caught:
        call()
    return type(caught.value)


def test_permission_table(buyer, alice, bob, address, sku_a):
    """Nobody reviews an order not theirs, not before completion, not twice."""
    # given a completed order of the buyer and one still shipped
    done = completed_order(buyer, address, sku_a)
    from villagemarket.orders.tests.factories import shipped_order

    shipped = shipped_order(buyer, address, sku_a)
    # then
    assert _refusal(lambda: review(bob, done)) is NotFound
    assert _refusal(lambda: review(alice, done)) is NotFound
    assert _refusal(lambda: review(buyer, shipped)) is Conflict
    review(buyer, done)
    assert _refusal(lambda: review(buyer, done)) is Conflict
    assert Review.objects.count() == 1


def test_shop_staff_cannot_review_their_own_shop_even_after_buying(alice, bob, address, sku_a):
    # given bob is staff of alice's shop and bought from it
    ShopMember.objects.create(shop=sku_a.product.shop, user=bob, role="staff")
    address.user = bob
    address.save()
    order = completed_order(bob, address, sku_a)
    # then
    with pytest.raises(Forbidden):
        review(bob, order)
    assert not selectors.reviewable_lines(bob).exists()


def test_window_closes_on_the_database_clock(buyer, address, sku_a, settings):
    settings.REVIEW_WINDOW_DAYS = 15
    order = completed_order(buyer, address, sku_a)
    completed_days_ago(order, 14.9)
    assert selectors.reviewable_lines(buyer).count() == 1
    completed_days_ago(order, 15.1)
    assert not selectors.reviewable_lines(buyer).exists()
    with pytest.raises(Conflict) as caught:
        review(buyer, order)
    assert caught.value.code == "window_closed"


def test_stars_and_text_are_checked_naming_the_field(buyer, address, sku_a):
    order = completed_order(buyer, address, sku_a)
    with pytest.raises(Invalid) as caught:
        review(buyer, order, item_stars=6, delivery_stars=0)
    assert set(caught.value.fields) == {"item_stars", "delivery_stars"}
    with pytest.raises(Invalid) as caught:
        review(buyer, order, text="好" * 501)
    assert "text" in caught.value.fields
    assert not Review.objects.exists()


def test_one_follow_up_within_its_window(buyer, bob, address, sku_a, settings):
    order = completed_order(buyer, address, sku_a)
    posted = review(buyer, order, text="不错")
    with pytest.raises(NotFound):
        services.post_follow_up(buyer=bob, review_id=posted.pk, text="冒充")
    services.post_follow_up(buyer=buyer, review_id=posted.pk, text="用了一个月，还是很好")
    with pytest.raises(Conflict):
        services.post_follow_up(buyer=buyer, review_id=posted.pk, text="again")
    shown = selectors.product_reviews(sku_a.product_id).get()
    assert shown.follow_up_shown and shown.follow_up_text == "用了一个月，还是很好"


def test_follow_up_window_closes(buyer, address, sku_a):
    order = completed_order(buyer, address, sku_a)
    posted = review(buyer, order)
    import datetime

    from django.db.models.functions import Now

    Review.objects.filter(pk=posted.pk).update(created_at=Now() - datetime.timedelta(days=181))
    with pytest.raises(Conflict) as caught:
        services.post_follow_up(buyer=buyer, review_id=posted.pk, text="late")
    assert caught.value.code == "window_closed"


def test_seller_replies_once_and_listeners_hear_it(buyer, alice, address, sku_a):
    heard = []
    hooks.on_reply_posted(heard.append)
    try:
        order = completed_order(buyer, address, sku_a)
        posted = review(buyer, order, text="好")
        shop = sku_a.product.shop
        services.reply_to_review(shop=shop, user=alice, review_id=posted.pk, text="谢谢惠顾")
        with pytest.raises(Conflict):
            services.reply_to_review(shop=shop, user=alice, review_id=posted.pk, text="again")
    finally:
        hooks._reply_listeners.remove(heard.append)
    assert [r.reply_text for r in heard] == ["谢谢惠顾"]
    assert Review.objects.get().reply_text == "谢谢惠顾"


def test_another_shop_cannot_reply(buyer, bob, shop_b, address, sku_a):
    order = completed_order(buyer, address, sku_a)
    posted = review(buyer, order)
    with pytest.raises(NotFound):
        services.reply_to_review(shop=shop_b, user=bob, review_id=posted.pk, text="hi")
    assert not Review.objects.get().reply_at


def test_review_listeners_hear_each_posted_review(buyer, address, sku_a):
    heard = []
    hooks.on_review_posted(heard.append)
    try:
        posted = review(buyer, completed_order(buyer, address, sku_a))
    finally:
        hooks._review_listeners.remove(heard.append)
    assert heard == [posted]


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三丰", "张**"),
        ("张", "张**"),
        ("buyer", "b***r"),
        ("Bo", "B***o"),
        ("x", "x***"),
        ("", "***"),
    ],
)
def test_anonymous_names_are_masked(name, masked):
    assert mask_name(name) == masked


def test_anonymous_review_keeps_its_order_but_shows_a_masked_name(address, sku_a, client):
    buyer = make_user("wang@example.com", name="王小明")
    address.user = buyer
    address.save()
    order = completed_order(buyer, address, sku_a)
    posted = review(buyer, order, text="匿名评价", anonymous=True)
    assert posted.order_id == order.pk and posted.author == buyer
    page = client.get(f"/p/{sku_a.product_id}/").content.decode()
    assert "王**" in page and "王小明" not in page


def test_flagged_reviews_leave_ratings_and_lists(buyer, address, sku_a):
    posted = review(buyer, completed_order(buyer, address, sku_a), item_stars=1)
    assert selectors.product_rating([sku_a.product_id])[sku_a.product_id][1] == 1
    services.set_flagged(posted.pk, True, reason="same text as 9 others")
    assert selectors.product_rating([sku_a.product_id]) == {}
    assert not selectors.product_reviews(sku_a.product_id).exists()
    services.set_flagged(posted.pk, False)
    assert selectors.product_reviews(sku_a.product_id).get() == posted
    with pytest.raises(NotFound):
        services.set_flagged(10**9, True)
