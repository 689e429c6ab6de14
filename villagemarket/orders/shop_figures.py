"""What orders tells the seller dashboard (shops.hooks, registered in OrdersConfig.ready())."""

from __future__ import annotations

from django.db.models import Count, F, Sum

from villagemarket.core.money import Money
from villagemarket.shops import hooks as shop_hooks

from .models import ShopOrder
from .states import Status


def order_figures(shop) -> dict[str, int]:
    """A shop's orders, all and waiting to ship, in one grouped query."""
    rows = ShopOrder.objects.filter(shop=shop).values("status").annotate(n=Count("pk")).order_by()
    by_status = {row["status"]: row["n"] for row in rows}
    return {
        "orders": sum(by_status.values()),
        "to_ship": by_status.get(Status.AWAITING_SHIPMENT, 0),
    }


def register() -> None:
    shop_hooks.register_shop_counter(order_figures)


def held_in_escrow(shop_id: int, currency: str) -> Money:
    """A shop's money in escrow: what buyers paid on orders not yet completed, less what was
    refunded (refunds leave escrow at once). Completed orders count as settled: settlement is
    posted when an order completes."""
    held = ShopOrder.objects.filter(
        shop_id=shop_id,
        currency=currency,
        status__in=[Status.AWAITING_SHIPMENT, Status.SHIPPED],
    ).aggregate(minor=Sum(F("total_minor") - F("refunded_minor")))["minor"]
    return Money(held or 0, currency)


def register_escrow() -> None:
    from villagemarket.ledger.selectors import register_held_in_escrow

    register_held_in_escrow(held_in_escrow)
