"""Helpers that put orders in a given state through the services (never by writing fields)."""

from __future__ import annotations

import datetime

from django.db.models.functions import Now

from villagemarket.orders import services
from villagemarket.orders.models import ShopOrder


def checkout(buyer, address, *items, token: str = ""):
    return services.place_order(
        buyer=buyer, address_id=address.pk, items=list(items), form_token=token
    )


def paid_order(buyer, address, sku, quantity: int = 1) -> ShopOrder:
    result = checkout(buyer, address, (sku.pk, quantity))
    services.payment_succeeded(result.payment)
    return ShopOrder.objects.get(pk=result.orders[0].pk)


def shipped_order(buyer, address, sku, quantity: int = 1) -> ShopOrder:
    order = paid_order(buyer, address, sku, quantity)
    return services.ship_order(
        shop=order.shop, order_id=order.pk, carrier="中通快递", tracking_no="ZT1234567890"
    )


def age_orders(minutes: int = 0, **filters) -> None:
    """Move creation time into the past (tests of the database-clock timers)."""
    ShopOrder.objects.filter(**filters).update(
        created_at=Now() - datetime.timedelta(minutes=minutes)
    )


def due_for_auto_complete(**filters) -> None:
    ShopOrder.objects.filter(**filters).update(
        auto_complete_at=Now() - datetime.timedelta(seconds=1)
    )
