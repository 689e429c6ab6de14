"""With the database task backend (production), late deliveries and retries are scheduled tasks."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from villagemarket.payments import delivery
from villagemarket.payments.models import Payment, SandboxNotification
from villagemarket.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_paying_queues_the_notification_for_the_worker(
    db_tasks, buyer, payment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(buyer).post(f"/pay/{payment.public_id}/", {"action": "pay", "delay": "0"})

    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("deliver_sandbox_notification")
    assert Payment.objects.get(pk=payment.pk).status == "pending"  # until the worker delivers

    delivery.deliver(task.args_kwargs["args"][0])

    assert Payment.objects.get(pk=payment.pk).status == "succeeded"


def test_a_late_delivery_is_a_task_scheduled_for_later(
    db_tasks, buyer, payment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(buyer).post(f"/pay/{payment.public_id}/", {"action": "pay", "delay": "60"})

    task = DBTaskResult.objects.get()
    assert task.run_after >= timezone.now() + timezone.timedelta(seconds=55)


def test_a_failed_delivery_is_retried_by_a_scheduled_task(
    db_tasks, settings, buyer, payment, monkeypatch, django_capture_on_commit_callbacks
):
    settings.SANDBOX_NOTIFY_TRANSPORT = "http"
    monkeypatch.setattr(delivery, "_post_http", lambda url, headers, body: (502, "bad gateway"))
    with django_capture_on_commit_callbacks(execute=True):
        client_for(buyer).post(f"/pay/{payment.public_id}/", {"action": "pay", "delay": "0"})
    row = SandboxNotification.objects.get()

    assert delivery.deliver(row.pk) == "retry"

    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert DBTaskResult.objects.count() == 2
    assert retry.run_after > timezone.now()
