"""The orders side of the ledger: a completed shop order settles what the buyer did not get back.

Settlement runs inside the completing transaction (confirm receipt, auto-complete), so an order
is completed and settled together or not at all; the ledger posts each order once (reference
`order:<id>`, the reference refunds look for to choose "refund after settlement"), so a retried
completion cannot settle twice. What a shop holds in escrow is `shop_figures.held_in_escrow`.
"""

from __future__ import annotations

from villagemarket.core.money import Money
from villagemarket.ledger import services as ledger

from ..models import ShopOrder, ShopOrderLine


def settlement_reference(order_id: int) -> str:
    """The ledger reference of an order's settlement (refunds read it too)."""
    return f"order:{order_id}"


def settle_completed_order(order_id: int) -> None:
    """Post the order's settlement: its goods per category and household, and its freight,
    less what was refunded before completion (taken from the lines and freight in proportion,
    to the fen, so commission is charged only on what the buyer kept)."""
    order = ShopOrder.objects.only("shop_id", "freight_minor", "currency", "refunded_minor").get(
        pk=order_id
    )
    rows = list(
        ShopOrderLine.objects.filter(order_id=order_id)
        .order_by("pk")
        .values_list(
            "line_total_minor",
            "currency",
            "sku__product__category_id",
            "sku__product__household_id",
        )
    )
    amounts = [Money(amount, currency) for amount, currency, _c, _h in rows]
    freight = Money(order.freight_minor, order.currency)
    if order.refunded_minor:
        kept = _less_refunded([*amounts, freight], Money(order.refunded_minor, order.currency))
        amounts, freight = kept[:-1], kept[-1]
    ledger.settle_order(
        reference=settlement_reference(order_id),
        shop_id=order.shop_id,
        lines=[
            ledger.OrderLine(amount=amount, category_id=category_id, household_id=household_id)
            for amount, (_a, _cur, category_id, household_id) in zip(amounts, rows, strict=True)
        ],
        freight=freight,
    )


def _less_refunded(parts: list[Money], refunded: Money) -> list[Money]:
    """Each part less its share of `refunded`, shared in proportion to the parts (exact)."""
    weights = [part.minor for part in parts]
    if sum(weights) == 0:
        return parts
    shares = refunded.allocate(weights)
    return [part - share for part, share in zip(parts, shares, strict=True)]
