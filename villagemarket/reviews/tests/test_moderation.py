"""Texts moderation holds are not shown until an operator approves them."""

from __future__ import annotations

import pytest

from villagemarket.reviews import hooks, moderation_link, selectors, services
from villagemarket.reviews.models import Review, Visibility

from .factories import completed_order, stars

pytestmark = pytest.mark.django_db


@pytest.fixture
def holding(monkeypatch):
    """Moderation that holds every text containing "加微信" and records what it was sent."""
    sent = []

    def held(*, kind, object_id, text, shop_id, author=None):
        sent.append((kind, object_id, shop_id))
        return "加微信" in text

    monkeypatch.setattr(moderation_link, "held", held)
    return sent


def test_a_held_review_is_hidden_until_approved(holding, buyer, address, sku_a):
    order = completed_order(buyer, address, sku_a)
    review = services.post_review(
        buyer=buyer, line_id=order.lines.get().pk, text="便宜加微信 abc123", **stars(1)
    )
    assert holding == [("review", review.pk, order.shop_id)]
    assert review.status == Visibility.HELD
    assert not selectors.product_reviews(sku_a.product_id).exists()
    assert selectors.product_rating([sku_a.product_id]) == {}
    services.decide("review", review.pk, True)
    assert selectors.product_reviews(sku_a.product_id).get() == review


def test_a_rejected_reply_stays_hidden_and_nobody_is_told(holding, buyer, alice, address, sku_a):
    heard = []
    hooks.on_reply_posted(heard.append)
    try:
        order = completed_order(buyer, address, sku_a)
        review = services.post_review(buyer=buyer, line_id=order.lines.get().pk, **stars())
        services.reply_to_review(
            shop=order.shop, user=alice, review_id=review.pk, text="加微信 vx888 更便宜"
        )
        assert heard == [] and not Review.objects.get().reply_shown
        services.decide("review_reply", review.pk, False, "contact details")
        assert heard == [] and Review.objects.get().reply_status == Visibility.REJECTED
        # an approved reply tells the listeners when it is shown
        services.decide("review_reply", review.pk, True)
        assert [r.pk for r in heard] == [review.pk]
    finally:
        hooks._reply_listeners.remove(heard.append)


def test_a_clean_text_is_published_at_once(holding, buyer, address, sku_a):
    order = completed_order(buyer, address, sku_a)
    review = services.post_review(buyer=buyer, line_id=order.lines.get().pk, text="好", **stars())
    assert review.status == Visibility.PUBLISHED
    services.post_follow_up(buyer=buyer, review_id=review.pk, text="加微信再买")
    assert not Review.objects.get().follow_up_shown
    assert holding[-1][0] == "review_follow_up"


def test_with_the_real_moderation_a_contact_detail_is_held_and_the_operator_decides(
    buyer, alice, operator, address, sku_a
):
    from villagemarket.moderation import services as moderation
    from villagemarket.moderation.hooks import kind
    from villagemarket.moderation.models import Case

    # given the review kinds are registered with moderation
    assert kind("review") and kind("review_reply") and kind("review_follow_up")
    order = completed_order(buyer, address, sku_a)
    # when a buyer's review carries a WeChat id
    review = services.post_review(
        buyer=buyer, line_id=order.lines.get().pk, text="好评返现5元 wx: farmer_li88", **stars()
    )
    # then it is held in a case the operator sees with the product's title
    case = Case.objects.get(kind="review", object_id=review.pk)
    assert Review.objects.get().status == Visibility.HELD
    assert kind("review").describe(review.pk).title == sku_a.product.title
    # when the operator approves, it is shown
    moderation.decide(operator, case.pk, approve=True, reason="ok")
    assert selectors.product_reviews(sku_a.product_id).get() == review
