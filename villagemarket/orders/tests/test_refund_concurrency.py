"""Refund rushes on PostgreSQL with real threads released together (run_together).

SQLite serialises writers, so a green run there proves nothing: these tests skip on SQLite.
"""

from __future__ import annotations

import datetime
import threading
from unittest import mock

import pytest
from django.db import IntegrityError
from django.db.models.functions import Now

from villagemarket.core.errors import Conflict
from villagemarket.core.money import Money
from villagemarket.ledger.models import LedgerTransaction
from villagemarket.orders import services
from villagemarket.orders.models import RefundRequest, ShopOrder
from villagemarket.orders.services import refunds as refund_services
from villagemarket.orders.tests.factories import paid_order, shipped_order
from villagemarket.testing.threads import run_together

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def asking(buyer, order_id, minor, reason="other"):
    return lambda: services.request_refund(
        buyer=buyer,
        order_id=order_id,
        amount=Money(minor, "CNY"),
        reason=reason,
        kind="money_only",
    )


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_refunds_never_exceed_what_was_paid(buyer, address, sku_a, round_):
    # given a paid order and six requests of a third of it each
    order = paid_order(buyer, address, sku_a, 3)
    third = order.total_minor // 3
    # when they all arrive at once
    results = run_together(*[asking(buyer, order.pk, third) for _ in range(6)])
    # then exactly three are granted, the others are told what is left, and the total holds
    granted = [r for r in results if isinstance(r, RefundRequest)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(granted) == 3 and len(refused) == 3, results
    assert {r.code for r in refused} == {"refund_exceeds_refundable"}
    order.refresh_from_db()
    assert order.refunded_minor == 3 * third <= order.total_minor
    assert LedgerTransaction.objects.filter(reference__startswith="refund:").count() == 3


def test_concurrent_requests_on_a_shipped_order_open_only_one(buyer, address, sku_a):
    order = shipped_order(buyer, address, sku_a)

    results = run_together(*[asking(buyer, order.pk, 100, "damaged") for _ in range(4)])

    opened = [r for r in results if isinstance(r, RefundRequest)]
    assert len(opened) == 1, results
    assert {r.code for r in results if r not in opened} <= {
        "refund_already_open",
        "refund_exceeds_refundable",
    }, results
    order.refresh_from_db()
    assert order.refund_claimed_minor == 100


def test_two_sweeps_at_once_pay_a_silent_sellers_refund_once(buyer, address, sku_a):
    order = shipped_order(buyer, address, sku_a)
    refund = asking(buyer, order.pk, order.total_minor, "damaged")()
    RefundRequest.objects.update(seller_due_at=Now() - datetime.timedelta(seconds=1))

    results = run_together(services.sweep_refund_deadlines, services.sweep_refund_deadlines)

    assert sorted(results) == [0, 1], results
    assert LedgerTransaction.objects.filter(reference=f"refund:{refund.pk}").count() == 1
    assert ShopOrder.objects.get(pk=order.pk).refunded_minor == order.total_minor


def naive_claim(barrier):
    """Read-check-write without the guard; every caller reads before anyone writes."""

    def claim(order_id, amount_minor):
        order = ShopOrder.objects.get(pk=order_id)
        barrier.wait()
        if order.refund_claimed_minor + amount_minor > order.total_minor:
            raise Conflict("too much", code="refund_exceeds_refundable")
        ShopOrder.objects.filter(pk=order_id).update(
            refund_claimed_minor=order.refund_claimed_minor + amount_minor
        )

    return claim


def test_the_rush_test_catches_a_read_check_write_claim(buyer, address, sku_a):
    # given the guard replaced by a read-check-write (lost updates)
    order = paid_order(buyer, address, sku_a, 3)
    third = order.total_minor // 3
    with mock.patch.object(
        refund_services, "_claim", naive_claim(threading.Barrier(6, timeout=30))
    ):
        results = run_together(*[asking(buyer, order.pk, third) for _ in range(6)])
    # then the rush no longer ends with three granted and three told what is left (the test
    # above fails), and only the CheckConstraint backstop keeps the refunds within what was paid
    granted = [r for r in results if isinstance(r, RefundRequest)]
    assert len(granted) != 3 or any(isinstance(r, IntegrityError) for r in results), results
    order.refresh_from_db()
    assert order.refunded_minor <= order.total_minor
