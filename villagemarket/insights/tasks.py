"""The worker's sweeps for insights: store hot counters, alert low stock, forget old visitors."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from villagemarket.core import counters

from . import alerts
from .models import ShopVisitor

# Hashed visitor ids (kept only without Redis) are needed for the day's unique count; the
# dashboard reads the counts, so the ids go after the longest period it shows (30 days) + 1.
VISITOR_DAYS_KEPT = 31


@task
def flush_counters() -> int:
    """Move the counted product views and visitors into the day tables (additive: two sweeps at
    once lose nothing). Returns the number of product-day rows touched."""
    return len(counters.drain().product_views)


@task
def alert_low_stock() -> int:
    """Tell shop staff about SKUs that went low since the last sweep."""
    return alerts.sweep()


@task
def forget_old_visitors() -> int:
    cutoff = timezone.localdate() - dt.timedelta(days=VISITOR_DAYS_KEPT)
    return ShopVisitor.objects.filter(day__lt=cutoff).delete()[0]


PERIODIC = [flush_counters, alert_low_stock, forget_old_visitors]
