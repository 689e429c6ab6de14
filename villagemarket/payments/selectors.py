"""Reads for the payment pages and API: a buyer's payment with its orders and their lines."""

from __future__ import annotations

from django.db.models import Prefetch

from .models import Payment


def payment_for_buyer(buyer, public_id) -> Payment | None:
    """The buyer's own payment (None for anyone else's: callers answer 404)."""
    if buyer is None or not buyer.is_authenticated:
        return None
    return Payment.objects.filter(public_id=public_id, buyer=buyer).first()


def payment_with_orders(buyer, public_id) -> Payment | None:
    """As payment_for_buyer, with `.order_list` (shop, lines) loaded in three queries."""
    from villagemarket.orders.models import ShopOrder

    if buyer is None or not buyer.is_authenticated:
        return None
    orders = (
        ShopOrder.objects.select_related("shop").prefetch_related("lines").order_by("shop_id", "pk")
    )
    return (
        Payment.objects.filter(public_id=public_id, buyer=buyer)
        .prefetch_related(Prefetch("orders", queryset=orders, to_attr="order_list"))
        .first()
    )
