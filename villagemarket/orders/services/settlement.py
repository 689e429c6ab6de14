"""The orders side of the ledger: a completed shop order settles, and a shop's paid but unsettled
orders are what it has in escrow.

Settlement runs inside the completing transaction (confirm receipt, auto-complete), so an order
is completed and settled together or not at all; the ledger posts each order once, so a retried
completion cannot settle twice.
"""

from __future__ import annotations

from django.db.models import Sum

from villagemarket.core.money import Money
from villagemarket.ledger import services as ledger

from ..models import ShopOrder, ShopOrderLine
from ..states import Status

# Paid and not yet completed or closed: the buyer's money is still in escrow for these.
IN_ESCROW = [Status.AWAITING_SHIPMENT, Status.SHIPPED]


def settle_completed_order(order_id: int) -> None:
    """Post the order's settlement: its goods per category and household, and its freight."""
    order = ShopOrder.objects.only("shop_id", "freight_minor", "currency").get(pk=order_id)
    lines = ShopOrderLine.objects.filter(order_id=order_id).values_list(
        "line_total_minor", "currency", "sku__product__category_id", "sku__product__household_id"
    )
    ledger.settle_order(
        reference=str(order_id),
        shop_id=order.shop_id,
        lines=[
            ledger.OrderLine(
                amount=Money(amount, currency), category_id=category_id, household_id=household_id
            )
            for amount, currency, category_id, household_id in lines
        ],
        freight=Money(order.freight_minor, order.currency),
    )


def held_in_escrow(shop_id: int, currency: str) -> Money:
    """What buyers have paid the shop that is not settled yet (registered with the ledger)."""
    total = ShopOrder.objects.filter(
        shop_id=shop_id, currency=currency, status__in=IN_ESCROW
    ).aggregate(total=Sum("total_minor"))["total"]
    return Money(total or 0, currency)
