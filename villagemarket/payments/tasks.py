"""Background delivery of the sandbox's notifications (django.tasks; the worker runs them)."""

from __future__ import annotations

from django.tasks import task

from . import delivery


@task
def deliver_sandbox_notification(notification_id: int) -> str:
    """POST one signed notification to the notify URL; retries with backoff on failure."""
    return delivery.deliver(notification_id)


@task
def deliver_due_notifications() -> int:
    """Sweep: deliver due notifications (late ones, retries a backend could not defer)."""
    return delivery.deliver_due()


PERIODIC = [deliver_due_notifications]
