"""Duplicate notifications arriving at the same instant take effect once (PostgreSQL, real threads).

Checked by removing the guards: without the unique notification key and the guarded UPDATE the
threads each insert a `succeeded` event; the partial unique index then raises in all but one and
those requests fail, so the assertions below fail.
"""

from __future__ import annotations

import functools

import pytest

from villagemarket.orders.models import ShopOrder
from villagemarket.payments.models import EventKind, Payment, PaymentEvent
from villagemarket.testing.threads import run_together

from .conftest import body_for, post_notification

THREADS = 8


def race(bodies: list[bytes]) -> list:
    """Deliver every body at the same instant: (status, json) per delivery, or the exception."""

    def deliver(body: bytes):
        response = post_notification(body)
        return (response.status_code, response.json())

    return run_together(*[functools.partial(deliver, body) for body in bodies])


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_the_same_notification_delivered_at_once_by_many_takes_effect_once(payment, round_):
    results = race([body_for(payment, trade_no="SBX-RACE")] * THREADS)

    assert all(isinstance(r, tuple) and r[0] == 200 for r in results), results
    assert sorted(r[1]["result"] for r in results) == ["duplicate"] * (THREADS - 1) + ["processed"]
    events = list(PaymentEvent.objects.filter(payment=payment).values_list("kind", flat=True))
    assert events.count(EventKind.SUCCEEDED) == 1
    assert events.count(EventKind.DUPLICATE_IGNORED) == THREADS - 1
    assert Payment.objects.get(pk=payment.pk).status == "succeeded"
    assert set(ShopOrder.objects.filter(payment=payment).values_list("status", flat=True)) == {
        "awaiting_shipment"
    }


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_a_failure_racing_a_success_never_leaves_the_payment_failed(payment, round_):
    bodies = [body_for(payment, trade_no="SBX-OK")] * 4 + [
        body_for(payment, trade_no="SBX-KO", outcome="failed")
    ] * 4

    results = race(bodies)

    assert all(isinstance(r, tuple) and r[0] == 200 for r in results), results
    assert Payment.objects.get(pk=payment.pk).status == "succeeded"
    assert PaymentEvent.objects.filter(payment=payment, kind=EventKind.SUCCEEDED).count() == 1
