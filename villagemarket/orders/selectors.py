"""Order reads for pages and the API: a buyer sees only theirs, shop staff only their shop's."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from villagemarket.core.errors import NotFound
from villagemarket.regions.models import Region
from villagemarket.regions.rules import LEVEL_LENGTHS

from .models import Address, ShopOrder, ShopOrderLine
from .states import Status

# Seller-center tabs -> statuses.
SELLER_TABS = {
    "to_ship": (_("To ship"), [Status.AWAITING_SHIPMENT]),
    "shipped": (_("Shipped"), [Status.SHIPPED]),
    "completed": (_("Completed"), [Status.COMPLETED]),
    "closed": (_("Closed"), [Status.CLOSED]),
    "unpaid": (_("Awaiting payment"), [Status.AWAITING_PAYMENT]),
    "all": (_("All"), list(Status)),
}


def _with_lines(qs: QuerySet) -> QuerySet:
    return qs.select_related("shop", "payment", "courier").prefetch_related(
        Prefetch("lines", queryset=ShopOrderLine.objects.order_by("id"))
    )


def buyer_orders(user, status: str = "") -> QuerySet:
    qs = ShopOrder.objects.filter(buyer=user)
    if status in Status.values:
        qs = qs.filter(status=status)
    return _with_lines(qs).order_by("-created_at", "-id")


def buyer_order(user, order_id: int) -> ShopOrder:
    order = _with_lines(ShopOrder.objects.filter(buyer=user, pk=order_id)).first()
    if order is None:
        raise NotFound(_("No such order."))
    return order


def buyer_orders_by_id(user, order_ids: list[int]) -> list[ShopOrder]:
    """Several of the buyer's orders with shop, payment and lines, in two queries whatever
    their number, in the order of `order_ids` (checkout's answer)."""
    found = {o.pk: o for o in _with_lines(ShopOrder.objects.filter(buyer=user, pk__in=order_ids))}
    return [found[pk] for pk in order_ids if pk in found]


def shop_orders(shop, tab: str = "to_ship") -> QuerySet:
    statuses = SELLER_TABS.get(tab, SELLER_TABS["to_ship"])[1]
    qs = ShopOrder.objects.filter(shop=shop, status__in=statuses).select_related("buyer")
    return (
        _with_lines(qs).order_by("created_at", "id")
        if tab == "to_ship"
        else _with_lines(qs).order_by("-created_at", "-id")
    )


def shop_order(shop, order_id: int) -> ShopOrder:
    order = _with_lines(
        ShopOrder.objects.filter(shop=shop, pk=order_id).select_related("buyer")
    ).first()
    if order is None:
        raise NotFound(_("No such order."))
    return order


def addresses_of(user) -> QuerySet:
    return (
        Address.objects.filter(user=user)
        .select_related("region")
        .order_by("-is_default", "-created_at", "-id")
    )


def address_book(user) -> list[Address]:
    """The user's addresses, each with `full_region`: province, prefecture, county and township
    names (two queries whatever the number of addresses)."""
    addresses = list(addresses_of(user))
    codes = {
        address.region.code[:length]
        for address in addresses
        for level, length in LEVEL_LENGTHS.items()
        if level < address.region.level
    }
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    for address in addresses:
        region = address.region
        above = [
            names.get(region.code[:length], "")
            for level, length in sorted(LEVEL_LENGTHS.items())
            if level < region.level
        ]
        address.full_region = " ".join(n for n in [*above, region.name] if n)
    return addresses


def timeline(order: ShopOrder) -> list[tuple[str, object, str]]:
    """(label, when, detail) for each step the order has reached, oldest first."""
    steps = [(_("Placed"), order.created_at, "")]
    if order.paid_at:
        steps.append((_("Paid"), order.paid_at, ""))
    if order.shipped_at:
        steps.append((_("Shipped"), order.shipped_at, f"{order.carrier} {order.tracking_no}"))
    if order.delivered_at:
        steps.append((_("Delivered"), order.delivered_at, ""))
    if order.completed_at:
        steps.append((_("Completed"), order.completed_at, ""))
    if order.closed_at:
        reasons = {"unpaid": _("not paid in time"), "cancelled": _("cancelled by the buyer")}
        steps.append(
            (_("Closed"), order.closed_at, reasons.get(order.close_reason, order.close_reason))
        )
    return steps
