"""Real money flows for the finance tests, through the apps' own services: a checkout paid by
the provider's verified notification, shipping, receipt, refunds and withdrawals."""

from __future__ import annotations

import itertools

from django.utils import timezone

from villagemarket.core.money import Money
from villagemarket.ledger import withdrawals
from villagemarket.orders import services as orders
from villagemarket.orders.models import ShopOrder
from villagemarket.payments.providers.base import Notification
from villagemarket.payments.services import apply_notification

_trade = itertools.count(1)


def provider_says_paid(payment) -> None:
    """The provider's verified 'succeeded' notification (what the notify endpoint acts on)."""
    result = apply_notification(
        Notification(
            provider=payment.provider,
            payment_id=payment.public_id,
            trade_no=f"T{next(_trade)}",
            outcome="succeeded",
            amount_minor=payment.amount_minor,
            currency=payment.currency,
            sent_at=timezone.now(),
        )
    )
    assert result.result == "processed", result


def paid(buyer, address, sku, quantity: int = 1) -> ShopOrder:
    result = orders.place_order(buyer=buyer, address_id=address.pk, items=[(sku.pk, quantity)])
    provider_says_paid(result.payment)
    return ShopOrder.objects.get(pk=result.orders[0].pk)


def unpaid(buyer, address, sku, quantity: int = 1) -> ShopOrder:
    result = orders.place_order(buyer=buyer, address_id=address.pk, items=[(sku.pk, quantity)])
    return ShopOrder.objects.get(pk=result.orders[0].pk)


def shipped(order: ShopOrder) -> ShopOrder:
    return orders.ship_order(
        shop=order.shop, order_id=order.pk, carrier="中通快递", tracking_no="ZT1234567890"
    )


def completed(buyer, order: ShopOrder) -> ShopOrder:
    shipped(order)
    return orders.confirm_receipt(buyer=buyer, order_id=order.pk)


def refund(buyer, order: ShopOrder, minor: int):
    return orders.request_refund(
        buyer=buyer,
        order_id=order.pk,
        amount=Money(minor),
        reason="other",
        kind="money_only",
        detail="",
    )


def withdraw(owner, shop, minor: int, operator=None):
    """The shop asks to be paid `minor`; the operator pays it when given."""
    request = withdrawals.request_withdrawal(user=owner, shop=shop, amount=Money(minor))
    if operator is not None:
        return withdrawals.pay_withdrawal(operator=operator, withdrawal_id=request.pk)
    return request


def market_day(buyer, address, sku_a, sku_b, alice, shop_a, operator) -> dict:
    """A day of trade: one order completed, one refunded in part before shipment and still
    open, one fully refunded, and a withdrawal paid and one waiting."""
    done = completed(buyer, paid(buyer, address, sku_a, 2))  # ¥198, settled
    open_order = paid(buyer, address, sku_b, 1)  # ¥250 in escrow
    refund(buyer, open_order, 5000)  # ¥50 back before settlement
    gone = paid(buyer, address, sku_a, 1)
    refund(buyer, gone, gone.total_minor)  # all back: the order closes
    withdraw(alice, shop_a, 5000, operator)  # ¥50 paid out
    waiting = withdraw(alice, shop_a, 2000)  # ¥20 waiting for an operator
    return {"done": done, "open": open_order, "gone": gone, "waiting": waiting}
