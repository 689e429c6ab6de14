"""The seller dashboard's reads: figures of a period, the chart's series, top products and
what needs doing now. Pages and the API share them; a dashboard costs a fixed number of queries
whatever the shop's size (pinned in tests/test_dashboard.py).

Definitions (docs/insights.md): an order counts on the day it was paid (`paid_at`, site time
zone), whatever happened to it later; the paid amount is what buyers paid (goods + freight)
before refunds, and refunds are their own figure (money paid back in the period, by the day it
was paid back), as Taobao's seller center shows them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from villagemarket.catalog.models import Product
from villagemarket.catalog.selectors import low_stock_skus
from villagemarket.catalog.states import Status as ProductStatus
from villagemarket.core.money import Money
from villagemarket.messaging.models import Conversation
from villagemarket.orders.models import RefundRequest, ShopOrder, ShopOrderLine
from villagemarket.orders.refund_selectors import shop_refunds
from villagemarket.orders.refund_states import RefundStatus
from villagemarket.orders.states import Status as OrderStatus
from villagemarket.reviews.selectors import late_shipment

from .models import ShopVisitDay
from .periods import Period, ratio

CURRENCY = "CNY"
TOP_PRODUCTS = 5
TO_SHIP_SHOWN = 5


@dataclass
class Figures:
    period: Period
    orders: int = 0
    paid_minor: int = 0
    paying_buyers: int = 0
    visitors: int = 0
    views: int = 0
    refunds: int = 0
    refunded_minor: int = 0
    series: list[dict] = field(default_factory=list)  # one per chart day

    @property
    def paid(self) -> Money:
        return Money(self.paid_minor, CURRENCY)

    @property
    def refunded(self) -> Money:
        return Money(self.refunded_minor, CURRENCY)

    @property
    def average_order_minor(self) -> int | None:
        # Rounded half up to the fen; None without orders (unknown, not zero).
        return (self.paid_minor * 2 + self.orders) // (2 * self.orders) if self.orders else None

    @property
    def average_order(self) -> Money | None:
        minor = self.average_order_minor
        return None if minor is None else Money(minor, CURRENCY)

    @property
    def conversion(self) -> float | None:
        return ratio(self.paying_buyers, self.visitors)


def _tz():
    return timezone.get_default_timezone()


def _paid_in(shop, start, end):
    return ShopOrder.objects.filter(shop=shop, paid_at__gte=start, paid_at__lt=end)


def figures(shop, period: Period) -> Figures:
    """The period's figures and the chart's daily series (4 queries)."""
    tz = _tz()
    fig = Figures(period)
    start, end = period.bounds(tz, period.chart_days)  # the chart's days include the period's
    first = period.first_day
    by_day = {
        day: {"day": day, "orders": 0, "paid_minor": 0, "visitors": 0, "views": 0}
        for day in period.chart_days
    }
    paid_rows = (
        _paid_in(shop, start, end)
        .annotate(day=TruncDate("paid_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"), paid=Sum("total_minor"))
        .order_by()
    )
    for row in paid_rows:
        if row["day"] in by_day:
            by_day[row["day"]].update(orders=row["n"], paid_minor=row["paid"] or 0)
    p_start, p_end = period.bounds(tz)
    fig.paying_buyers = (
        _paid_in(shop, p_start, p_end).values("buyer_id").distinct().order_by().count()
    )
    for visit in ShopVisitDay.objects.filter(shop=shop, day__in=period.chart_days):
        by_day[visit.day].update(visitors=visit.visitors, views=visit.views)
    refunds = RefundRequest.objects.filter(
        order__shop=shop,
        status=RefundStatus.REFUNDED,
        refunded_at__gte=p_start,
        refunded_at__lt=p_end,
    ).aggregate(n=Count("id"), amount=Sum("amount_minor"))
    fig.refunds, fig.refunded_minor = refunds["n"], refunds["amount"] or 0
    fig.series = [by_day[day] for day in period.chart_days]
    for point in fig.series:
        if point["day"] >= first:
            fig.orders += point["orders"]
            fig.paid_minor += point["paid_minor"]
            fig.visitors += point["visitors"]
            fig.views += point["views"]
    return fig


def top_products(shop, period: Period, limit: int = TOP_PRODUCTS) -> list[dict]:
    """The period's best sellers by paid amount (lines of orders paid in it): product id,
    title, units, amount in minor units. One query."""
    start, end = period.bounds(_tz())
    rows = (
        ShopOrderLine.objects.filter(
            order__shop=shop, order__paid_at__gte=start, order__paid_at__lt=end
        )
        .values("sku__product_id")
        .annotate(units=Sum("quantity"), amount=Sum("line_total_minor"))
        .order_by("-amount", "sku__product_id")[:limit]
    )
    rows = list(rows)
    titles = dict(
        Product.objects.filter(pk__in=[r["sku__product_id"] for r in rows]).values_list(
            "pk", "title"
        )
    )
    return [
        {
            "product_id": r["sku__product_id"],
            "title": titles.get(r["sku__product_id"], ""),
            "units": r["units"],
            "amount_minor": r["amount"],
        }
        for r in rows
    ]


@dataclass
class ToDo:
    to_ship: int = 0
    late_to_ship: int = 0
    oldest_to_ship: list = field(default_factory=list)  # ShopOrders, oldest paid first
    open_refunds: int = 0
    oldest_refunds: list = field(default_factory=list)  # RefundRequests, oldest first
    unread_messages: int = 0
    low_stock: int = 0
    held_listings: int = 0


def to_do(shop) -> ToDo:
    """What needs doing now (7 queries)."""
    todo = ToDo()
    waiting = ShopOrder.objects.filter(shop=shop, status=OrderStatus.AWAITING_SHIPMENT)
    counts = waiting.aggregate(n=Count("id"), late=Count("id", filter=late_shipment()))
    todo.to_ship, todo.late_to_ship = counts["n"], counts["late"]
    promise = dt.timedelta(hours=settings.SHIP_PROMISE_HOURS)
    now = timezone.now()
    todo.oldest_to_ship = list(
        waiting.order_by("paid_at", "id").only(
            "id", "paid_at", "total_minor", "currency", "recipient"
        )[:TO_SHIP_SHOWN]
    )
    for order in todo.oldest_to_ship:
        order.ship_by = order.paid_at + promise if order.paid_at else None
        order.is_late = bool(order.ship_by and order.ship_by < now)
    open_refunds = shop_refunds(shop, open_only=True)
    todo.open_refunds = open_refunds.count()
    todo.oldest_refunds = list(open_refunds.order_by("created_at", "id")[:TO_SHIP_SHOWN])
    # messaging's unread count of a shop's inbox (shared by its staff); read-only here.
    todo.unread_messages = (
        Conversation.objects.filter(shop=shop, shop_unread__gt=0).aggregate(n=Sum("shop_unread"))[
            "n"
        ]
        or 0
    )
    todo.low_stock = low_stock_skus(shop).count()
    todo.held_listings = Product.objects.filter(shop=shop, status=ProductStatus.HELD).count()
    return todo


def has_any(todo: ToDo) -> bool:
    return any(
        (todo.to_ship, todo.open_refunds, todo.unread_messages, todo.low_stock, todo.held_listings)
    )
