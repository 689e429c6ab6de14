"""The worker sends the outbox in its periodic sweep (every `--interval`, 60 s by default), which
also retries failed sends when their backoff has passed and recovers those whose worker died."""

from __future__ import annotations

from django.tasks import task

from . import sending


@task
def send_deliveries() -> int:
    """Send the e-mails and SMS that are due (at most once each; see sending.py)."""
    return sending.send_due()


PERIODIC = [send_deliveries]
