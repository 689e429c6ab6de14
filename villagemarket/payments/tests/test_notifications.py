"""Verified notifications move the payment and its orders, once, and never backwards."""

from __future__ import annotations

import time

import pytest

from villagemarket.orders.models import ShopOrder
from villagemarket.orders.services import cancel_unpaid
from villagemarket.payments.models import EventKind, Payment, PaymentEvent

from .conftest import body_for, post_notification

pytestmark = pytest.mark.django_db


def statuses(payment):
    payment.refresh_from_db()
    orders = sorted(ShopOrder.objects.filter(payment=payment).values_list("status", flat=True))
    return payment.status, orders


def kinds(payment):
    return list(PaymentEvent.objects.filter(payment=payment).values_list("kind", flat=True))


def test_a_verified_success_marks_the_payment_paid_and_its_orders_awaiting_shipment(payment):
    response = post_notification(body_for(payment, trade_no="SBX-A"))

    assert response.status_code == 200
    assert response.json() == {"result": "processed", "status": "succeeded"}
    assert statuses(payment) == ("succeeded", ["awaiting_shipment", "awaiting_shipment"])
    assert payment.provider_trade_no == "SBX-A" and payment.paid_at is not None
    assert kinds(payment) == ["created", "notification_received", "succeeded"]


def test_the_same_notification_delivered_twice_takes_effect_once(payment):
    body = body_for(payment, trade_no="SBX-A")
    first = post_notification(body)
    paid_at = Payment.objects.get(pk=payment.pk).paid_at

    second = post_notification(body)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["result"] == "duplicate"
    assert Payment.objects.get(pk=payment.pk).paid_at == paid_at
    assert kinds(payment).count(EventKind.SUCCEEDED) == 1
    assert kinds(payment)[-1] == EventKind.DUPLICATE_IGNORED


def test_a_failed_notification_after_the_success_never_downgrades(payment):
    post_notification(body_for(payment, trade_no="SBX-2", outcome="succeeded"))

    late = post_notification(body_for(payment, trade_no="SBX-1", outcome="failed"))

    assert late.status_code == 200 and late.json()["result"] == "duplicate"
    assert statuses(payment) == ("succeeded", ["awaiting_shipment", "awaiting_shipment"])
    assert EventKind.FAILED not in kinds(payment)


def test_a_failed_payment_can_still_succeed_on_a_later_attempt(payment):
    post_notification(body_for(payment, trade_no="SBX-1", outcome="failed"))
    assert statuses(payment) == ("failed", ["awaiting_payment", "awaiting_payment"])

    post_notification(body_for(payment, trade_no="SBX-2", outcome="succeeded"))

    assert statuses(payment) == ("succeeded", ["awaiting_shipment", "awaiting_shipment"])


@pytest.mark.parametrize("change", [{"amount_minor": 1}, {"currency": "USD"}])
def test_a_notification_for_another_amount_is_refused_and_changes_nothing(payment, change):
    response = post_notification(body_for(payment, **change))

    assert response.status_code == 400
    assert response.json()["reason"] == "amount_mismatch"
    # the API's one error body, as the OpenAPI document says for a 400
    assert response.json()["code"] == "amount_mismatch" and response.json()["fields"] == {}
    assert statuses(payment) == ("pending", ["awaiting_payment", "awaiting_payment"])
    assert kinds(payment) == ["created", "rejected"]


@pytest.mark.parametrize(
    "tamper, status",
    [
        ({"signature": "0" * 64}, 403),
        ({"timestamp": -310}, 403),
        ({"timestamp": +310}, 403),
    ],
)
def test_an_unverified_notification_is_refused_and_changes_nothing(payment, tamper, status):
    if "timestamp" in tamper:  # an offset from now, taken now (collection may be long before)
        tamper = {"timestamp": int(time.time()) + tamper["timestamp"]}
    response = post_notification(body_for(payment), **tamper)

    assert response.status_code == status
    assert statuses(payment) == ("pending", ["awaiting_payment", "awaiting_payment"])
    assert kinds(payment) == ["created"]


def test_a_body_changed_after_signing_is_refused(payment):
    from villagemarket.payments.providers import sandbox

    stamp = int(time.time())
    signature = sandbox.sign(stamp, body_for(payment, amount_minor=1))
    response = post_notification(body_for(payment), timestamp=stamp, signature=signature)

    assert response.status_code == 403 and response.json()["code"] == "bad_signature"
    assert statuses(payment)[0] == "pending"


def test_a_notification_for_an_unknown_payment_is_refused(db):
    class Ghost:
        public_id = "00000000-0000-4000-8000-000000000000"
        amount_minor = 100
        currency = "CNY"

    response = post_notification(body_for(Ghost()))

    assert response.status_code == 400 and response.json()["code"] == "unknown_payment"


def test_the_notify_endpoint_only_takes_posts(db):
    from django.test import Client

    assert Client().get("/pay/notify/sandbox/").status_code == 405


def test_a_payment_arriving_after_its_orders_closed_needs_a_refund(payment, buyer, checkout):
    cancel_unpaid(buyer=buyer, order_id=checkout.orders[0].pk)
    payment.refresh_from_db()
    assert payment.status == "closed"

    # the provider took the money anyway: it is recorded and flagged to go back, never lost
    response = post_notification(body_for(payment))

    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == "succeeded" and payment.needs_refund is True
    assert statuses(payment)[1] == ["closed", "closed"]


def test_a_second_capture_by_another_trade_is_flagged_for_refund(payment):
    post_notification(body_for(payment, trade_no="SBX-1"))

    response = post_notification(body_for(payment, trade_no="SBX-2"))

    assert response.status_code == 400
    payment.refresh_from_db()
    assert (payment.status, payment.provider_trade_no, payment.needs_refund) == (
        "succeeded",
        "SBX-1",
        True,
    )
    assert kinds(payment).count(EventKind.SUCCEEDED) == 1


def test_the_api_endpoint_verifies_like_the_page_endpoint(payment):
    bad = post_notification(
        body_for(payment), signature="f" * 64, url="/api/v1/payments/notify/sandbox"
    )
    good = post_notification(body_for(payment), url="/api/v1/payments/notify/sandbox")

    assert bad.status_code == 403
    assert good.status_code == 200 and good.json()["status"] == "succeeded"
