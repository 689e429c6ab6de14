"""The sandbox's hosted page, the return page, and who may use them."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from villagemarket.orders.models import ShopOrder
from villagemarket.orders.services import cancel_unpaid
from villagemarket.payments import delivery
from villagemarket.payments.models import EventKind, Payment, PaymentEvent, SandboxNotification
from villagemarket.testing import client_for

pytestmark = pytest.mark.django_db


def pay_url(payment, suffix=""):
    return f"/pay/{payment.public_id}/{suffix}"


def submit(client, payment, capture, **form):
    with capture(execute=True):
        return client.post(pay_url(payment), {"action": "pay", "delay": "0", **form})


def unchanged(payment):
    payment.refresh_from_db()
    return (
        payment.status == "pending"
        and not SandboxNotification.objects.filter(payment=payment).exists()
    )


@pytest.mark.parametrize(
    "persona, get_status, post_status",
    [
        ("buyer", 200, 302),
        ("alice", 404, 404),
        ("bob", 404, 404),
        ("operator", 404, 404),
        ("anonymous", 302, 302),
    ],
)
def test_only_the_buyer_may_see_and_pay_their_payment_page(
    people, payment, persona, get_status, post_status, django_capture_on_commit_callbacks
):
    client = people[persona]

    page = client.get(pay_url(payment))
    posted = submit(client, payment, django_capture_on_commit_callbacks)

    assert (page.status_code, posted.status_code) == (get_status, post_status)
    if persona == "anonymous":
        assert "/accounts/" in page["Location"]
    if persona != "buyer":
        assert unchanged(payment)


@pytest.mark.parametrize("suffix", ["return/", "status/"])
@pytest.mark.parametrize(
    "persona, status", [("buyer", 200), ("alice", 404), ("operator", 404), ("anonymous", 302)]
)
def test_only_the_buyer_may_see_the_return_page(people, payment, suffix, persona, status):
    assert people[persona].get(pay_url(payment, suffix)).status_code == status


def test_the_hosted_page_shows_the_amount_the_orders_by_shop_and_the_sandbox_note(buyer, payment):
    page = client_for(buyer).get(pay_url(payment)).content.decode()

    assert payment.amount.format() in page
    assert "Alice 演出服" in page and "Bob 羽绒被" in page
    assert "sandbox" in page.lower()
    assert 'value="pay"' in page and 'value="fail"' in page


def test_paying_on_the_sandbox_page_marks_paid_only_through_the_notification(
    buyer, payment, django_capture_on_commit_callbacks
):
    client = client_for(buyer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(pay_url(payment), {"action": "pay", "delay": "0"})
    # The page itself marks nothing: until the notification is delivered, the payment is pending.
    assert response["Location"] == pay_url(payment, "return/")
    assert Payment.objects.get(pk=payment.pk).status == "pending"
    assert 'data-status="pending"' in client.get(pay_url(payment, "return/")).content.decode()

    for callback in callbacks:
        callback()

    status = client.get(pay_url(payment, "status/")).content.decode()
    assert 'data-status="succeeded"' in status and "hx-trigger" not in status
    assert set(ShopOrder.objects.filter(payment=payment).values_list("status", flat=True)) == {
        "awaiting_shipment"
    }
    assert client.get(pay_url(payment))["Location"] == pay_url(payment, "return/")


def test_make_it_fail_fails_the_payment_and_the_buyer_may_try_again(
    buyer, payment, django_capture_on_commit_callbacks
):
    client = client_for(buyer)
    submit(client, payment, django_capture_on_commit_callbacks, action="fail")
    assert 'data-status="failed"' in client.get(pay_url(payment, "return/")).content.decode()

    submit(client, payment, django_capture_on_commit_callbacks)

    assert Payment.objects.get(pk=payment.pk).status == "succeeded"


def test_a_late_notification_keeps_the_payment_pending_until_it_is_delivered(
    buyer, payment, django_capture_on_commit_callbacks
):
    client = client_for(buyer)
    submit(client, payment, django_capture_on_commit_callbacks, delay="60")
    assert Payment.objects.get(pk=payment.pk).status == "pending"
    assert delivery.deliver_due() == 0

    SandboxNotification.objects.filter(payment=payment).update(
        deliver_after=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert delivery.deliver_due() == 1

    assert Payment.objects.get(pk=payment.pk).status == "succeeded"


def test_delivered_twice_it_takes_effect_once(buyer, payment, django_capture_on_commit_callbacks):
    submit(client_for(buyer), payment, django_capture_on_commit_callbacks, twice="on")

    events = list(PaymentEvent.objects.filter(payment=payment).values_list("kind", flat=True))
    assert events.count(EventKind.SUCCEEDED) == 1 and events.count(EventKind.DUPLICATE_IGNORED) == 1
    assert (
        SandboxNotification.objects.filter(payment=payment, delivered_at__isnull=False).count() == 2
    )


def test_out_of_order_delivery_does_not_undo_the_success(
    buyer, payment, django_capture_on_commit_callbacks
):
    submit(client_for(buyer), payment, django_capture_on_commit_callbacks, out_of_order="on")

    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert (
        PaymentEvent.objects.filter(payment=payment, kind=EventKind.DUPLICATE_IGNORED).count() == 1
    )


def test_the_setting_sandbox_delivery_applies_without_options(
    settings, buyer, payment, django_capture_on_commit_callbacks
):
    settings.SANDBOX_DELIVERY = {"twice": True}
    with django_capture_on_commit_callbacks(execute=True):
        client_for(buyer).post(pay_url(payment), {"action": "pay"})

    assert SandboxNotification.objects.filter(payment=payment).count() == 2


def test_an_unknown_delay_is_refused_naming_the_field(
    buyer, payment, django_capture_on_commit_callbacks
):
    response = submit(client_for(buyer), payment, django_capture_on_commit_callbacks, delay="9999")

    assert response.status_code == 422
    assert "Not one of the choices" in response.content.decode()
    assert unchanged(payment)


def test_closed_orders_cannot_be_paid(buyer, checkout, payment, django_capture_on_commit_callbacks):
    cancel_unpaid(buyer=buyer, order_id=checkout.orders[0].pk)

    response = submit(client_for(buyer), payment, django_capture_on_commit_callbacks)

    assert response.status_code == 422
    payment.refresh_from_db()
    assert payment.status == "closed"  # closed with its orders, and paying it started nothing
    assert not SandboxNotification.objects.filter(payment=payment).exists()


def test_the_pay_form_refuses_a_missing_csrf_token(buyer, payment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)

    assert client.post(pay_url(payment), {"action": "pay"}).status_code == 403
    assert unchanged(payment)


def test_a_delivery_that_fails_is_retried_later_with_backoff(
    settings, buyer, payment, monkeypatch, django_capture_on_commit_callbacks
):
    settings.SANDBOX_NOTIFY_TRANSPORT = "http"
    answers = iter([(None, "connection refused"), (503, "busy")])
    monkeypatch.setattr(delivery, "_post_http", lambda url, headers, body: next(answers))
    submit(client_for(buyer), payment, django_capture_on_commit_callbacks)
    row = SandboxNotification.objects.get(payment=payment)
    assert (row.attempts, row.last_error, row.delivered_at) == (1, "connection refused", None)
    assert row.deliver_after > timezone.now()

    SandboxNotification.objects.filter(pk=row.pk).update(deliver_after=timezone.now())
    delivery.deliver_due()
    row.refresh_from_db()
    assert (row.attempts, row.last_status) == (2, 503)

    settings.SANDBOX_NOTIFY_TRANSPORT = "inprocess"
    SandboxNotification.objects.filter(pk=row.pk).update(deliver_after=timezone.now())
    delivery.deliver_due()
    row.refresh_from_db()
    assert row.attempts == 3 and row.delivered_at is not None
    assert Payment.objects.get(pk=payment.pk).status == "succeeded"


def test_a_refused_delivery_is_not_retried(
    settings, buyer, payment, monkeypatch, django_capture_on_commit_callbacks
):
    settings.SANDBOX_NOTIFY_TRANSPORT = "http"
    monkeypatch.setattr(delivery, "_post_http", lambda url, headers, body: (403, "bad_signature"))

    submit(client_for(buyer), payment, django_capture_on_commit_callbacks)

    row = SandboxNotification.objects.get(payment=payment)
    assert row.gave_up_at is not None and row.attempts == 1
    assert delivery.deliver_due() == 0


def test_the_notify_url_is_on_site_url_whatever_host_the_buyer_paid_on(
    settings, buyer, payment, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://market.example.cn"
    client = client_for(buyer)
    client.defaults["HTTP_HOST"] = "testserver:6666"  # ALLOWED_HOSTS ignores the port

    submit(client, payment, django_capture_on_commit_callbacks, delay="60")

    row = SandboxNotification.objects.get()
    assert row.notify_url == "https://market.example.cn/pay/notify/sandbox/"
