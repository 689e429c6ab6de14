"""The worker sends the outbox: on each commit that wrote deliveries (services.notify wakes it)
and in the periodic sweep, which also retries and recovers deliveries whose worker died."""

from __future__ import annotations

from django.tasks import task

from . import sending


@task
def send_deliveries() -> int:
    """Send the e-mails and SMS that are due (at most once each; see sending.py)."""
    return sending.send_due()


PERIODIC = [send_deliveries]
