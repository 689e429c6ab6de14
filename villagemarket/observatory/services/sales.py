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
from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid
from villagemarket.core.money import Money
from villagemarket.observatory.models import CURRENCY, SaleEvent, ShopDailySales


def record_sale(
    *,
    shop_id: int,
    ref: str,
    day: datetime.date,
    amount_minor: int,
    currency: str = CURRENCY,
    orders: int = 1,
) -> bool:
    """Count a completed order's amount for its shop on `day`. Idempotent per `ref`; True when
    newly counted.
    """
    _check_amount(Money(amount_minor, currency))
    if orders < 0:
        raise Invalid(
            _("A sale cannot count fewer than zero orders."),
            fields={"orders": [_("must be zero or more")]},
        )
    return _record(SaleEvent.Kind.SALE, shop_id, ref, day, amount_minor, orders=orders)


def record_refund(
    *, shop_id: int, ref: str, day: datetime.date, amount_minor: int, currency: str = CURRENCY
) -> bool:
    """Subtract a refund from its shop's sales on the day it happened. Idempotent per `ref`;
    True when new.
    """
    _check_amount(Money(amount_minor, currency))
    return _record(SaleEvent.Kind.REFUND, shop_id, ref, day, amount_minor, orders=0)


def _check_amount(amount: Money) -> None:
    """The observatory's figures are in the base currency (the thresholds are in yuan): an
    amount in another currency is refused, never counted as if it were yuan."""
    if amount.currency != CURRENCY:
        raise Invalid(
            _("The observatory counts sales in %(currency)s only.") % {"currency": CURRENCY},
            fields={"currency": [_("must be %(currency)s") % {"currency": CURRENCY}]},
        )
    if amount.minor < 0:
        raise Invalid(
            _("An amount cannot be negative."),
            fields={"amount_minor": [_("must be zero or more")]},
        )


def _record(
    kind: str, shop_id: int, ref: str, day: datetime.date, amount_minor: int, *, orders: int
) -> bool:
    if not ref:
        raise Invalid(_("A reference is needed."), fields={"ref": [_("required")]})
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
