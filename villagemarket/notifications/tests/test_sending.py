"""The worker sends each delivery at most once: claimed by one guarded UPDATE, retried with
backoff when the provider fails, recovered after a dead worker only where the provider
recognises a repeat (the sandbox SMS); otherwise left `unknown` rather than sent twice."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.db.models.functions import Now
from django.utils import timezone

from villagemarket.accounts.models import User
from villagemarket.notifications import events, rules, sending, services, sms
from villagemarket.notifications.models import Delivery, SandboxSms

pytestmark = pytest.mark.django_db


@pytest.fixture
def texted(buyer):
    User.objects.filter(pk=buyer.pk).update(mobile="13912345678")
    buyer.refresh_from_db()
    return buyer


def shipped_news(buyer, key="order:1:ship"):
    """A shipped-order notification for `buyer` (e-mail and SMS by default)."""
    services.notify(
        events.ORDER_SHIPPED,
        key,
        [buyer.pk],
        params={"order": "#1", "shop": "Alice 演出服", "carrier": "中通快递", "tracking": "ZT1"},
        url="/orders/1/",
    )
    return Delivery.objects.filter(notification__key=key)


def test_the_worker_sends_each_delivery_once_by_e_mail_and_sms(texted):
    deliveries = shipped_news(texted)

    assert sending.send_due() == 2
    assert sending.send_due() == 0  # nothing twice

    (email,) = mail.outbox
    assert email.to == ["buyer@example.com"]
    assert email.subject == "Order #1 has shipped"
    assert f"{settings.SITE_URL}/orders/1/" in email.body
    assert f"{settings.SITE_URL}/notifications/settings/" in email.body
    (text,) = SandboxSms.objects.all()
    assert text.mobile == "13912345678" and "ZT1" in text.text
    by_channel = {d.channel: d for d in deliveries}
    assert by_channel["sms"].provider_id == text.provider_id
    assert by_channel["email"].provider_id == email.extra_headers["Message-ID"]
    assert {d.status for d in deliveries} == {"sent"}


def test_a_delivery_claimed_by_one_worker_is_not_claimed_by_another(texted):
    delivery = shipped_news(texted).get(channel="email")

    first = sending.claim(delivery.pk)
    second = sending.claim(delivery.pk)

    assert first == 1 and second is None


def test_a_failing_provider_is_retried_with_growing_waits_then_given_up(texted, monkeypatch):
    delivery = shipped_news(texted).get(channel="sms")
    Delivery.objects.exclude(pk=delivery.pk).delete()

    class Down:
        name, idempotent = "down", True

        def send(self, message):
            raise ConnectionError("gateway timeout")

    monkeypatch.setattr(sms, "provider", lambda: Down())
    waits = []
    for attempt in range(1, rules.MAX_ATTEMPTS + 1):
        before = timezone.now()
        assert sending.send_due() == 0
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        waits.append(round((delivery.next_attempt_at - before).total_seconds() / 10) * 10)
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=Now())  # time passes

    assert waits[:3] == [30, 60, 120]
    assert delivery.status == "failed" and "gateway timeout" in delivery.last_error
    assert sending.send_due() == 0  # given up: not tried again
    assert not SandboxSms.objects.exists()


def test_a_failed_try_waits_its_backoff_before_the_next(texted, monkeypatch):
    delivery = shipped_news(texted).get(channel="sms")
    calls = []

    class Flaky:
        name, idempotent = "flaky", True

        def send(self, message):
            calls.append(message.key)
            if len(calls) == 1:
                raise ConnectionError("busy")
            return "ok-1"

    monkeypatch.setattr(sms, "provider", lambda: Flaky())
    sending.send_due()
    sending.send_due()  # too early: still waiting its 30 seconds
    assert len(calls) == 1

    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=Now() - datetime.timedelta(seconds=1)
    )
    sending.send_due()

    delivery.refresh_from_db()
    assert calls == [delivery.idempotency_key] * 2  # the same key on every try
    assert (delivery.status, delivery.provider_id, delivery.attempts) == ("sent", "ok-1", 2)


def test_a_provider_that_refuses_for_good_is_not_retried(texted, monkeypatch):
    delivery = shipped_news(texted).get(channel="sms")

    class Refusing:
        name, idempotent = "refusing", False

        def send(self, message):
            raise sms.PermanentFailure("isv.MOBILE_NUMBER_ILLEGAL")

    monkeypatch.setattr(sms, "provider", lambda: Refusing())
    sending.send_due()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1)


def _die_mid_send(delivery):
    """What a worker killed inside the provider call leaves: claimed, maybe sent, not recorded;
    then its lease runs out."""
    attempt = sending.claim(delivery.pk)
    Delivery.objects.filter(pk=delivery.pk).update(
        lease_until=Now() - datetime.timedelta(seconds=1)
    )
    return attempt


def test_an_sms_whose_worker_died_after_the_provider_took_it_is_not_sent_twice(texted):
    delivery = shipped_news(texted).get(channel="sms")
    attempt = _die_mid_send(delivery)
    delivery.refresh_from_db()
    taken = sms.SandboxSms().send(sending.message_for(delivery))  # it went out, then the kill

    sending.send_due()  # another worker, after the lease

    delivery.refresh_from_db()
    assert SandboxSms.objects.count() == 1
    assert (delivery.status, delivery.provider_id, delivery.attempts) == (
        "sent",
        taken,
        attempt + 1,
    )


def test_an_sms_whose_worker_died_before_the_provider_took_it_is_sent_once(texted):
    delivery = shipped_news(texted).get(channel="sms")
    _die_mid_send(delivery)

    sending.send_due()

    delivery.refresh_from_db()
    assert SandboxSms.objects.count() == 1 and delivery.status == "sent"


def test_an_e_mail_whose_worker_died_mid_send_is_left_for_an_operator_not_sent_twice(texted):
    delivery = shipped_news(texted).get(channel="email")
    attempt = _die_mid_send(delivery)

    sending.send_due()

    delivery.refresh_from_db()
    assert delivery.status == "unknown" and mail.outbox == []
    # the slow worker comes back after all: its send went through, it records it
    assert sending.send_claimed(delivery.pk, attempt)
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(mail.outbox) == 1


def test_an_operator_sends_an_unknown_delivery_again(texted, people, operator):
    delivery = shipped_news(texted).get(channel="email")
    _die_mid_send(delivery)
    sending.send_due()

    answer = people["operator"].post(
        "/admin/notifications/delivery/",
        {"action": "send_again", "_selected_action": [delivery.pk]},
    )

    assert answer.status_code == 302
    sending.send_due()
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(mail.outbox) == 1


def test_a_stale_worker_cannot_overwrite_a_newer_attempt(texted, monkeypatch):
    delivery = shipped_news(texted).get(channel="sms")
    first = _die_mid_send(delivery)
    sending.send_due()  # recovered and sent by attempt 2

    class Down:
        name, idempotent = "down", True

        def send(self, message):
            raise ConnectionError("late failure of attempt 1")

    monkeypatch.setattr(sms, "provider", lambda: Down())
    sending.send_claimed(delivery.pk, first)

    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.last_error == ""


@pytest.mark.parametrize("attempts, seconds", [(1, 30), (2, 60), (3, 120), (10, 3600)])
def test_retry_delay_doubles_up_to_an_hour(attempts, seconds):
    assert rules.retry_delay(attempts) == datetime.timedelta(seconds=seconds)


def test_gives_up_after_max_attempts():
    assert not rules.gives_up(rules.MAX_ATTEMPTS - 1) and rules.gives_up(rules.MAX_ATTEMPTS)


def test_the_operator_sees_what_the_sandbox_would_have_texted(texted, people):
    shipped_news(texted)
    sending.send_due()

    page = people["operator"].get("/admin/notifications/sandboxsms/").text

    assert "13912345678" in page and "ZT1" in page
    assert people["alice"].get("/admin/notifications/sandboxsms/").status_code == 302
