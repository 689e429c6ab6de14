"""Once-only delivery under real concurrency: two workers sending at the same instant
(PostgreSQL), and a worker process SIGKILLed mid-send then restarted (either engine).

"Mid-send", precisely: the worker has claimed an SMS delivery (committed `sending` with its
lease), the provider has accepted the message (the sandbox has recorded it under the delivery's
key), and the worker is waiting for the provider's answer (SMS_SANDBOX_DELAY_SECONDS), so the
`sent` record with the provider's id is not yet written. That is the hardest point: a retry that
did not carry the key would send the text twice. Deliveries before it are sent and recorded;
those after it are still pending. After a restart each must have gone out exactly once.
"""

from __future__ import annotations

import functools
import re
import signal

import pytest
from django.core import mail
from django.db import connection

from villagemarket.accounts.models import User
from villagemarket.notifications import events, sending, services
from villagemarket.notifications.models import Delivery, SandboxSms
from villagemarket.testing import make_user
from villagemarket.testing.threads import run_together
from villagemarket.testing.workers import (
    subprocess_database_url,
    terminate_worker_backends,
    worker_processes,
)
from villagemarket.worker.tests.test_worker_survives import wait_for

BUYERS = 20  # each gets a shipped notice by e-mail and SMS: 40 deliveries


def shipped_news_for_many() -> list[Delivery]:
    for n in range(BUYERS):
        user = make_user(f"buyer{n}@example.com")
        User.objects.filter(pk=user.pk).update(mobile=f"139{n:08d}")
        services.notify(
            events.ORDER_SHIPPED,
            f"order:{n}:ship",
            [user.pk],
            params={"order": f"#{n}", "shop": "Alice 演出服", "carrier": "中通快递"},
        )
    return list(Delivery.objects.order_by("pk"))


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_at_the_same_instant_send_each_delivery_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    deliveries = shipped_news_for_many()

    results = run_together(sending.send_due, sending.send_due)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == len(deliveries)  # between them, every one, by exactly one
    assert all(r > 0 for r in results), f"one worker took everything: {results}"
    assert len(mail.outbox) == BUYERS
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"buyer{n}@example.com" for n in range(BUYERS)
    )
    assert SandboxSms.objects.count() == BUYERS
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


@pytest.fixture
def workers(tmp_path, settings):
    """Real `villagemarket worker` processes on the test database; a short lease so the restarted
    worker recovers the killed one's delivery in seconds."""
    url = subprocess_database_url()
    if url is None:
        pytest.skip("SQLite's test database is in memory; set VM_TEST_DB_NAME to a file")
    with worker_processes(tmp_path, url) as start:
        yield functools.partial(
            start, WORKER_ORPHAN_TIMEOUT_SECONDS="2", NOTIFICATIONS_LEASE_SECONDS="3"
        )
    if connection.vendor == "postgresql":
        terminate_worker_backends()


def sent() -> int:
    return Delivery.objects.filter(status="sent").count()


def in_the_provider_call() -> Delivery | None:
    """The SMS delivery a worker has claimed and the provider has taken, not yet recorded."""
    for delivery in Delivery.objects.filter(status="sending", channel="sms"):
        if SandboxSms.objects.filter(key=delivery.idempotency_key).exists():
            return delivery
    return None


def mailed_ids(tmp_path) -> list[str]:
    """The Message-IDs the workers' console e-mail backend wrote, one per e-mail sent."""
    logs = "".join(path.read_text() for path in sorted(tmp_path.glob("worker-*.log")))
    return re.findall(r"^Message-ID: <(vm-delivery-\d+)@", logs, flags=re.MULTILINE)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_and_restarted_sends_each_delivery_exactly_once(
    settings, tmp_path, workers
):
    # given 40 deliveries waiting (nothing sends them in this process)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    deliveries = shipped_news_for_many()

    # when a worker whose SMS provider answers slowly is killed inside an SMS send
    first = workers(SMS_SANDBOX_DELAY_SECONDS="0.4")
    wait_for(lambda: sent() >= 4, timeout=120, what="the first deliveries")
    wait_for(in_the_provider_call, timeout=30, what="an SMS inside the provider call")
    first.send_signal(signal.SIGKILL)
    first.wait()
    if connection.vendor == "postgresql":
        terminate_worker_backends()

    # then the kill came mid-send: one SMS taken by the provider, not recorded; others waiting
    (interrupted,) = Delivery.objects.filter(status="sending")
    assert interrupted.channel == "sms" and interrupted.provider_id == ""
    assert SandboxSms.objects.filter(key=interrupted.idempotency_key).exists()
    at_kill = sent()
    print(
        f"\nkilled with {at_kill} of {len(deliveries)} deliveries sent, #{interrupted.pk} mid-send"
    )
    assert 0 < at_kill < len(deliveries) - 1

    # when a worker starts again
    workers()
    wait_for(lambda: sent() == len(deliveries), timeout=120, what="every delivery sent")

    # then every text went out once, under its delivery's key, and every e-mail once
    texts = dict(SandboxSms.objects.values_list("key", "pk"))
    sms_rows = Delivery.objects.filter(channel="sms")
    assert len(texts) == BUYERS == sms_rows.count()
    assert {d.idempotency_key for d in sms_rows} == set(texts)
    assert {d.provider_id for d in sms_rows} == {f"SBXSMS{pk}" for pk in texts.values()}
    interrupted.refresh_from_db()
    assert interrupted.attempts == 2 and interrupted.status == "sent"
    email_keys = {d.idempotency_key for d in Delivery.objects.filter(channel="email")}
    mailed = mailed_ids(tmp_path)
    assert sorted(mailed) == sorted(email_keys), "an e-mail went out twice or not at all"
