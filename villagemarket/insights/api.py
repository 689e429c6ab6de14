"""The seller dashboard over the API: `GET /api/v1/seller/{shop_slug}/dashboard?period=7d`.

Shop staff only (owner or staff member, by API token or session); anybody else gets the same
404 as for a shop that does not exist. Money is in minor units (fen) with its currency, like
every other endpoint; conversion is a fraction (0.025 = 2.5 %), null when there were no
visitors. Figures are defined in docs/insights.md.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from villagemarket.accounts.auth import user_auth
from villagemarket.shops.permissions import shop_for_member

from . import selectors
from .periods import parse_period

router = Router(tags=["insights"], auth=user_auth)


class DayOut(Schema):
    day: dt.date
    orders: int
    paid_minor: int
    visitors: int
    views: int


class TopProductOut(Schema):
    product_id: int
    title: str
    units: int
    amount_minor: int


class ToDoOut(Schema):
    to_ship: int
    late_to_ship: int
    open_refunds: int
    unread_messages: int
    low_stock: int
    held_listings: int


class DashboardOut(Schema):
    period: str
    first_day: dt.date
    last_day: dt.date
    currency: str
    orders: int
    paid_minor: int
    paying_buyers: int
    visitors: int
    views: int
    conversion: float | None
    average_order_minor: int | None
    refunds: int
    refunded_minor: int
    series: list[DayOut]
    top_products: list[TopProductOut]
    to_do: ToDoOut


@router.get(
    "{slug:shop_slug}/dashboard",
    response=DashboardOut,
    summary="A shop's dashboard: figures of the period, the daily series, top products, to-dos",
)
def dashboard(request: HttpRequest, shop_slug: str, period: str = "7d"):
    shop = shop_for_member(request.auth, shop_slug)
    chosen = parse_period(period, timezone.localdate(), strict=True)
    fig = selectors.figures(shop, chosen)
    todo = selectors.to_do(shop)
    return {
        "period": chosen.code,
        "first_day": chosen.first_day,
        "last_day": chosen.last_day,
        "currency": selectors.CURRENCY,
        "orders": fig.orders,
        "paid_minor": fig.paid_minor,
        "paying_buyers": fig.paying_buyers,
        "visitors": fig.visitors,
        "views": fig.views,
        "conversion": fig.conversion,
        "average_order_minor": fig.average_order_minor,
        "refunds": fig.refunds,
        "refunded_minor": fig.refunded_minor,
        "series": fig.series,
        "top_products": selectors.top_products(shop, chosen),
        "to_do": {
            "to_ship": todo.to_ship,
            "late_to_ship": todo.late_to_ship,
            "open_refunds": todo.open_refunds,
            "unread_messages": todo.unread_messages,
            "low_stock": todo.low_stock,
            "held_listings": todo.held_listings,
        },
    }
