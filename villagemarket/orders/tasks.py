"""Periodic sweeps as django.tasks tasks; `villagemarket worker` enqueues them every minute.

Both are idempotent and safe to run in several workers at once (see services.fulfilment).
"""

from __future__ import annotations

from django.tasks import task

from . import services


@task
def close_unpaid_orders() -> int:
    """Close orders left unpaid past the timeout and return their stock."""
    return services.close_unpaid_orders()


@task
def auto_complete_orders() -> int:
    """Complete shipped orders whose automatic-confirmation time has passed."""
    return services.auto_complete_orders()


PERIODIC = [close_unpaid_orders, auto_complete_orders]
