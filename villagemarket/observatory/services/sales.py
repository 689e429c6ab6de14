"""Observatory use-cases that change state: counting sales and refunds into the daily rollup.

The orders slice calls record_sale when an order completes and record_refund when a refund is
paid. Both are idempotent per `ref` (a SaleEvent row with a unique ref), and both change the
shop's ShopDailySales row with one F() increment, so concurrent calls never lose an update.
Imports live in statistics_import.py, the yearly computation in designations.py.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from villagemarket.core.errors import Invalid
from villagemarket.observatory.models import SaleEvent, ShopDailySales


def record_sale(
    *, shop_id: int, ref: str, day: datetime.date, amount_minor: int, orders: int = 1
) -> bool:
    """Count a completed order's amount for its shop on `day`. Idempotent per `ref`; True when
    newly counted.
    """
    if amount_minor < 0 or orders < 0:
        raise Invalid(
            "A sale cannot be negative.", fields={"amount_minor": ["must be zero or more"]}
        )
    return _record(SaleEvent.Kind.SALE, shop_id, ref, day, amount_minor, orders=orders)


def record_refund(*, shop_id: int, ref: str, day: datetime.date, amount_minor: int) -> bool:
    """Subtract a refund from its shop's sales on the day it happened. Idempotent per `ref`;
    True when new.
    """
    if amount_minor < 0:
        raise Invalid(
            "A refund cannot be negative.", fields={"amount_minor": ["must be zero or more"]}
        )
    return _record(SaleEvent.Kind.REFUND, shop_id, ref, day, amount_minor, orders=0)


def _record(
    kind: str, shop_id: int, ref: str, day: datetime.date, amount_minor: int, *, orders: int
) -> bool:
    if not ref:
        raise Invalid("A reference is needed.", fields={"ref": ["required"]})
    with transaction.atomic():
        try:
            with transaction.atomic():
                SaleEvent.objects.create(
                    kind=kind, ref=ref, shop_id=shop_id, day=day, amount_minor=amount_minor
                )
        except IntegrityError:
            return False  # already counted: a retried or duplicated call
        if kind == SaleEvent.Kind.SALE:
            changes = {
                "orders": F("orders") + orders,
                "sales_minor": F("sales_minor") + amount_minor,
            }
            initial = {"orders": orders, "sales_minor": amount_minor}
        else:
            changes = {"refunds_minor": F("refunds_minor") + amount_minor}
            initial = {"refunds_minor": amount_minor}
        _upsert_rollup(shop_id, day, changes, initial)
    return True


def _upsert_rollup(shop_id: int, day: datetime.date, changes: dict, initial: dict) -> None:
    """Increment the (shop, day) row, creating it if absent; a concurrent creator makes us
    increment instead.
    """
    rows = ShopDailySales.objects.filter(shop_id=shop_id, day=day)
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():
            ShopDailySales.objects.create(shop_id=shop_id, day=day, **initial)
    except IntegrityError:
        rows.update(**changes)
