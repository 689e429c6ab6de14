"""Reserving and returning SKU stock with guarded UPDATEs (never read-check-write).

Catalog owns SKU rows, so only catalog writes their stock; checkout reserves through `reserve`
and closing or refunding an order gives units back through `release`.

Rows are touched in SKU id order so two checkouts that share SKUs queue behind each other
instead of deadlocking; the `sku_stock_not_negative` CHECK is the backstop.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import F

from .models import SKU


def reserve(quantities: Mapping[int, int]) -> dict[int, int]:
    """Take `quantities` (sku id -> units) from stock; return {sku id: units left} for each SKU
    short.

    Call inside the checkout's transaction: when anything is short the caller raises, and the
    rollback returns what was taken from the other SKUs.
    """
    short: dict[int, int] = {}
    for sku_id in sorted(quantities):
        wanted = quantities[sku_id]
        taken = SKU.objects.filter(pk=sku_id, stock__gte=wanted).update(stock=F("stock") - wanted)
        if taken != 1:
            left = SKU.objects.filter(pk=sku_id).values_list("stock", flat=True).first()
            short[sku_id] = left or 0
    return short


def release(quantities: Mapping[int, int]) -> None:
    """Give reserved units back (closed or cancelled orders), in SKU id order."""
    for sku_id in sorted(quantities):
        SKU.objects.filter(pk=sku_id).update(stock=F("stock") + quantities[sku_id])
