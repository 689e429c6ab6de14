"""Delivery of the sandbox's queued notifications to the notify URL, with retries and backoff.

With a task backend that can defer (the database backend), a late notification or a retry is a
task scheduled for later. With ImmediateBackend (tests) delivery runs inline; a late one stays
queued until `deliver_due()` runs (the worker's periodic sweep, or a test).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.db.models import F
from django.tasks import default_task_backend
from django.utils import timezone

from .models import SandboxNotification
from .providers import NotificationRefused, sandbox

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_SECONDS = (2, 5, 15, 60, 300)  # before attempts 2..6


def _can_defer() -> bool:
    return default_task_backend.supports_defer


def enqueue_delivery(notification_id: int, *, run_after=None) -> None:
    """Queue the delivery task; a time in the future is honoured when the backend can defer."""
    from .tasks import deliver_sandbox_notification

    if run_after is not None and run_after > timezone.now() and _can_defer():
        deliver_sandbox_notification.using(run_after=run_after).enqueue(notification_id)
    else:
        deliver_sandbox_notification.enqueue(notification_id)


def _post_http(url: str, headers: dict[str, str], body: bytes) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own notify URL
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(300).decode(errors="replace")
    except (urllib.error.URLError, OSError) as exc:
        return None, str(exc)[:300]


def _post_in_process(url: str, headers: dict[str, str], body: bytes) -> tuple[int | None, str]:
    """Same verification as the endpoint, without the HTTP hop (tests with no server running)."""
    from .services import receive_notification

    try:
        result = receive_notification(sandbox.NAME, headers, body)
    except NotificationRefused as exc:
        return exc.status, exc.reason
    return result.http_status, json.dumps({"result": result.result})


def _transport():
    if getattr(settings, "SANDBOX_NOTIFY_TRANSPORT", "http") == "inprocess":
        return _post_in_process
    return _post_http


def deliver(notification_id: int) -> str:
    """One delivery attempt; on a temporary failure, schedules the next one."""
    row = SandboxNotification.objects.filter(pk=notification_id).first()
    if row is None or row.delivered_at or row.gave_up_at:
        return "done"
    if row.deliver_after > timezone.now():
        if _can_defer():
            enqueue_delivery(row.pk, run_after=row.deliver_after)
        return "later"
    SandboxNotification.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
    attempt = row.attempts + 1
    body = row.body.encode()
    status, error = _transport()(row.notify_url, sandbox.signed_headers(body), body)
    now = timezone.now()
    if status is not None and 200 <= status < 300:
        SandboxNotification.objects.filter(pk=row.pk).update(
            delivered_at=now, last_status=status, last_error=""
        )
        return "delivered"
    if status is not None and 400 <= status < 500 and status not in (408, 429):
        # The receiver refused it for good (bad signature, amount mismatch): retrying cannot help.
        SandboxNotification.objects.filter(pk=row.pk).update(
            gave_up_at=now, last_status=status, last_error=error
        )
        logger.warning("sandbox notification %s refused with %s: %s", row.pk, status, error)
        return "refused"
    if attempt >= MAX_ATTEMPTS:
        SandboxNotification.objects.filter(pk=row.pk).update(
            gave_up_at=now, last_status=status, last_error=error
        )
        return "gave_up"
    retry_at = now + timezone.timedelta(seconds=BACKOFF_SECONDS[attempt - 1])
    SandboxNotification.objects.filter(pk=row.pk).update(
        deliver_after=retry_at, last_status=status, last_error=error
    )
    if _can_defer():
        enqueue_delivery(row.pk, run_after=retry_at)
    return "retry"


def deliver_due() -> int:
    """Deliver queued notifications that are due (the worker's sweep); returns how many."""
    due = list(
        SandboxNotification.objects.filter(
            delivered_at__isnull=True, gave_up_at__isnull=True, deliver_after__lte=timezone.now()
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    for pk in due:
        deliver(pk)
    return len(due)
