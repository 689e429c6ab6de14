"""Reviews posted through the reviews app are checked in the posting transaction: near-identical
texts from two buyers are both flagged and hidden from ratings; an operator who clears one
shows it again, one confirmed as fake stays hidden."""

from __future__ import annotations

import pytest

from villagemarket.antifraud import rules, services
from villagemarket.orders import services as orders
from villagemarket.reviews import selectors as review_selectors
from villagemarket.reviews.models import Review
from villagemarket.reviews.services import post_review

from .helpers import address_for, flags, new_buyer, only, order, pay, ship

pytestmark = pytest.mark.django_db

TEXT = "衣服质量非常好，做工精细，穿着很舒服，物流也很快，下次还来买！"


def _review(buyer, sku, text: str) -> Review:
    placed = order(buyer, address_for(buyer, f"地址 {buyer.pk} 号"), sku)
    pay(placed)
    ship(placed, minutes_ago=3 * 24 * 60)
    orders.confirm_receipt(buyer=buyer, order_id=placed.pk)
    line = placed.lines.get()
    return post_review(
        buyer=buyer, line_id=line.pk, item_stars=5, service_stars=5, delivery_stars=5, text=text
    )


def test_copied_reviews_are_flagged_and_hidden_then_decided(sku_a, operator):
    only(rules.SIMILAR_REVIEWS)
    first = _review(new_buyer("one@example.com"), sku_a, TEXT)
    assert not Review.objects.get(pk=first.pk).flagged  # nothing to compare with yet
    second = _review(new_buyer("two@example.com"), sku_a, TEXT.replace("！", "!!"))
    assert set(flags(rules.SIMILAR_REVIEWS).values_list("review_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert Review.objects.filter(pk__in=[first.pk, second.pk], flagged=True).count() == 2
    assert review_selectors.product_rating([sku_a.product_id]) == {}
    # when: the operator clears the first and confirms the second
    services.decide(operator=operator, confirm=False, note="Original", review_id=first.pk)
    services.decide(operator=operator, confirm=True, note="Copy", review_id=second.pk)
    assert not Review.objects.get(pk=first.pk).flagged
    assert Review.objects.get(pk=second.pk).flagged
    assert review_selectors.product_rating([sku_a.product_id])[sku_a.product_id][1] == 1


def test_a_different_review_is_not_flagged(sku_a):
    only(rules.SIMILAR_REVIEWS)
    _review(new_buyer("one@example.com"), sku_a, TEXT)
    other = _review(
        new_buyer("two@example.com"), sku_a, "尺码偏小一点，建议买大一号。颜色和图片一样。"
    )
    assert not Review.objects.get(pk=other.pk).flagged
    assert not flags(rules.SIMILAR_REVIEWS).exists()
