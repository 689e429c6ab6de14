"""Core's periodic sweep: `villagemarket worker` enqueues it with the other apps' sweeps."""

from __future__ import annotations

from django.tasks import task

from .idempotency import purge_idempotency_records


@task
def purge_old_idempotency_records() -> int:
    """Forget remembered API answers older than the replay window (idempotent)."""
    return purge_idempotency_records()


PERIODIC = [purge_old_idempotency_records]
