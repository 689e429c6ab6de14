"""What orders tells the seller dashboard (shops.hooks, registered in OrdersConfig.ready())."""

from __future__ import annotations

from django.db.models import Count

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
