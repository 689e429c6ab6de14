"""Reputation: the pure formula (properties) and the record the selector gathers."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.db.models.functions import Now
from hypothesis import given
from hypothesis import strategies as st

from villagemarket.core.money import Money
from villagemarket.orders import services as orders
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.tests.factories import paid_order, shipped_order
from villagemarket.reviews import selectors, services
from villagemarket.reviews.reputation import ShopRecord, level, reputation, score

from .factories import completed_order, stars

counts = st.integers(min_value=0, max_value=100_000)
records = st.builds(
    ShopRecord,
    completed_orders=counts,
    positive_ratings=counts,
    neutral_ratings=counts,
    negative_ratings=counts,
    refunds=counts,
    disputes_lost=counts,
    late_shipments=counts,
)
BAD = ["refunds", "disputes_lost", "late_shipments", "negative_ratings", "neutral_ratings"]


@given(records, st.sampled_from(BAD), st.integers(min_value=1, max_value=1000))
def test_more_bad_outcomes_never_raise_the_score(record, field, more):
    worse = dataclasses.replace(record, **{field: getattr(record, field) + more})
    assert score(worse) <= score(record)
    assert ordinal(level(score(worse))) <= ordinal(level(score(record)))


def ordinal(found: tuple[str, int]) -> int:
    """Position of a level among all levels (0 for a new shop)."""
    tier, rank = found
    tiers = ["", "seedling", "sheaf", "moon"]
    return tiers.index(tier) * 5 + rank


@given(records, st.sampled_from(["completed_orders", "positive_ratings"]), st.integers(1, 1000))
def test_more_good_outcomes_never_lower_the_score(record, field, more):
    better = dataclasses.replace(record, **{field: getattr(record, field) + more})
    assert score(better) >= score(record)


@given(counts, counts)
def test_a_higher_score_never_has_a_lower_level(a, b):
    low, high = sorted((a, b))
    assert ordinal(level(low)) <= ordinal(level(high))


@given(records)
def test_the_score_is_never_negative_and_the_level_follows_it(record):
    rep = reputation(record)
    assert rep.score >= 0
    assert (rep.tier == "") == (rep.score < 4)
    assert 0 <= rep.rank <= 5


def test_levels_by_hand():
    assert level(0) == ("", 0)
    assert level(4) == ("seedling", 1)
    assert level(250) == ("seedling", 5)
    assert level(251) == ("sheaf", 1)
    assert level(10001) == ("moon", 1)
    # 10 orders, 8 positive, 1 negative, 1 refund, 1 late: 10 + 16 - 5 - 3 - 2 = 16
    assert score(ShopRecord(10, 8, 0, 1, 1, 0, 1)) == 16


@pytest.mark.django_db
def test_the_selector_gathers_the_record(buyer, operator, address, sku_a, shop_a, settings):
    settings.SHIP_PROMISE_HOURS = 48
    # two completed orders, one rated 5 and one rated 1
    for item in (5, 1):
        order = completed_order(buyer, address, sku_a)
        services.post_review(buyer=buyer, line_id=order.lines.get().pk, **stars(item=item))
    # a paid order still unshipped 49 hours after payment: late
    waiting = paid_order(buyer, address, sku_a)
    ShopOrder.objects.filter(pk=waiting.pk).update(paid_at=Now() - datetime.timedelta(hours=49))
    # an order shipped 50 hours after payment: late; and its refund went to arbitration, lost
    shipped = shipped_order(buyer, address, sku_a)
    ShopOrder.objects.filter(pk=shipped.pk).update(paid_at=Now() - datetime.timedelta(hours=50))
    refund = orders.request_refund(
        buyer=buyer,
        order_id=shipped.pk,
        amount=Money(shipped.total_minor, "CNY"),
        reason="damaged",
        kind="money_only",
    )
    orders.reject_refund(shop=shop_a, refund_id=refund.pk, note="完好")
    dispute = orders.open_dispute(user=buyer, refund_id=refund.pk, text="坏了")
    orders.decide_dispute(operator=operator, dispute_id=dispute.pk, for_buyer=True, note="破损")
    # a paid order shipped within the promise: not late
    paid_order(buyer, address, sku_a)

    record = selectors.shop_records([shop_a.pk])[shop_a.pk]
    assert record == ShopRecord(
        completed_orders=2,
        positive_ratings=1,
        neutral_ratings=0,
        negative_ratings=1,
        refunds=1,
        disputes_lost=1,
        late_shipments=2,
    )
    # 2 + 2 - 5 - 3 - 20 - 4 < 0
    assert selectors.shop_reputation(shop_a.pk).score == 0
