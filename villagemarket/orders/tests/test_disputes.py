"""Disputes: who may open them, what a decision does to the money and the order."""

from __future__ import annotations

import pytest

from villagemarket.core.errors import Conflict, Forbidden, Invalid
from villagemarket.core.money import Money
from villagemarket.orders import services
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.tasks import PERIODIC, sweep_refund_deadlines
from villagemarket.orders.tests.factories import shipped_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejected(buyer, address, sku_a, shop_a):
    order = shipped_order(buyer, address, sku_a)
    refund = services.request_refund(
        buyer=buyer,
        order_id=order.pk,
        amount=Money(order.total_minor, "CNY"),
        reason="damaged",
        kind="money_only",
    )
    return services.reject_refund(shop=shop_a, refund_id=refund.pk, note="完好")


def test_a_buyer_contests_a_rejection_and_the_amount_is_claimed_again(buyer, rejected):
    dispute = services.open_dispute(user=buyer, refund_id=rejected.pk, text="坏了")

    rejected.refresh_from_db()
    assert rejected.status == "disputed" and rejected.closed_at is None
    assert ShopOrder.objects.get(pk=rejected.order_id).refund_claimed_minor == rejected.amount_minor
    assert [s.side for s in dispute.statements.all()] == ["buyer"]


def test_the_seller_cannot_contest_its_own_rejection_and_strangers_cannot_take_part(
    alice, bob, rejected
):
    with pytest.raises(Conflict):
        services.open_dispute(user=alice, refund_id=rejected.pk, text="x")
    with pytest.raises(Forbidden):
        services.open_dispute(user=bob, refund_id=rejected.pk, text="x")


def test_a_decision_for_the_seller_frees_the_amount_and_ends_the_dispute(
    buyer, alice, operator, rejected
):
    dispute = services.open_dispute(user=buyer, refund_id=rejected.pk, text="坏了")
    with pytest.raises(Forbidden):
        services.decide_dispute(operator=alice, dispute_id=dispute.pk, for_buyer=True, note="x")
    with pytest.raises(Invalid):
        services.decide_dispute(operator=operator, dispute_id=dispute.pk, for_buyer=True, note="")

    services.decide_dispute(
        operator=operator, dispute_id=dispute.pk, for_buyer=False, note="证据不足"
    )

    rejected.refresh_from_db()
    order = ShopOrder.objects.get(pk=rejected.order_id)
    assert rejected.status == "rejected" and order.refund_claimed_minor == 0
    assert order.status == "shipped" and order.refunded_minor == 0
    with pytest.raises(Conflict):
        services.add_statement(user=alice, dispute_id=dispute.pk, text="补充")
    with pytest.raises(Conflict):
        services.decide_dispute(
            operator=operator, dispute_id=dispute.pk, for_buyer=True, note="改判"
        )


def test_the_refund_sweep_is_one_of_the_workers_periodic_tasks():
    assert sweep_refund_deadlines in PERIODIC
