"""The tracking sweep; `villagemarket worker` enqueues it every minute (idempotent, bounded)."""

from __future__ import annotations

from django.tasks import task

from . import services


@task
def poll_tracking() -> int:
    """Poll the parcels that are due (at most TRACKING["sweep_batch"] per run)."""
    return services.poll_due_parcels()


PERIODIC = [poll_tracking]
