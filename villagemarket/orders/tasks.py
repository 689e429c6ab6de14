"""Periodic sweeps as django.tasks tasks; `villagemarket worker` enqueues them every minute.

All are idempotent and safe to run in several workers at once (see services.fulfilment).
"""

from __future__ import annotations

from django.tasks import task

from . import services
from .services import refund_payments


@task
def close_unpaid_orders() -> int:
    """Close orders left unpaid past the timeout and return their stock."""
    return services.close_unpaid_orders()


@task
def auto_complete_orders() -> int:
    """Complete shipped orders whose automatic-confirmation time has passed."""
    return services.auto_complete_orders()


@task
def sweep_refund_deadlines() -> int:
    """Approve refunds the seller left unanswered and confirm returns left unconfirmed."""
    return services.sweep_refund_deadlines()


@task
def sweep_refund_payments() -> int:
    """Finish, fail or re-ask refunds left being paid back (crash, timeout, provider processing)."""
    return refund_payments.sweep_refund_payments()


PERIODIC = [
    close_unpaid_orders,
    auto_complete_orders,
    sweep_refund_deadlines,
    sweep_refund_payments,
]
