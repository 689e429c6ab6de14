"""The orders side of a payment (registered in payments.hooks by OrdersConfig.ready()).

payments calls these inside its own transactions; it knows nothing of shop orders. A checkout's
orders share one payment: success moves the ones still awaiting payment to awaiting shipment, and
reports when some had already closed (the money for those must go back).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.functions import Now

from villagemarket.payments.hooks import PaymentPart, PaymentPartLine, SuccessOutcome

from .. import hooks
from ..models import ShopOrder
from ..states import Event, Status, next_status


def payment_succeeded(payment) -> SuccessOutcome:
    """Move the payment's orders awaiting_payment -> awaiting_shipment with paid_at = database now.

    Idempotent: a second call changes nothing. An order that had already closed (unpaid timeout or
    cancelled) stays closed; the outcome then says the payment needs a refund.
    """
    # Inside the notification's transaction: no savepoint of its own (one failure fails both).
    with transaction.atomic(savepoint=False):
        # Lock in pk order (as the sweeps do), then move every awaiting one in one guarded UPDATE.
        locked = ShopOrder.objects.select_for_update().filter(payment=payment).order_by("pk")
        statuses = list(locked.values_list("pk", "status"))
        awaiting = [pk for pk, status in statuses if status == Status.AWAITING_PAYMENT]
        if awaiting:
            ShopOrder.objects.filter(pk__in=awaiting, status=Status.AWAITING_PAYMENT).update(
                status=next_status(Status.AWAITING_PAYMENT, Event.PAY), paid_at=Now()
            )
            for pk in awaiting:  # locked above: each of these moved in this UPDATE
                hooks.order_event(hooks.OrderEvent(kind=Event.PAY, order_id=pk))
        closed = sum(1 for _pk, status in statuses if status == Status.CLOSED)
        return SuccessOutcome(needs_refund=closed > 0, closed_parts=closed)


def payment_failed(payment) -> None:
    """A failed attempt changes no order: they stay awaiting payment (the buyer may try again)
    until the unpaid timeout closes them and returns their stock."""
    return None


def may_be_paid(payment) -> bool:
    """A payment may be paid while one of its orders awaits payment (or when it has none)."""
    statuses = set(ShopOrder.objects.filter(payment=payment).values_list("status", flat=True))
    return not statuses or Status.AWAITING_PAYMENT in statuses


def payment_parts(payment) -> list[PaymentPart]:
    """The payment's orders with their lines, in shop order (two queries)."""
    orders = (
        ShopOrder.objects.filter(payment=payment)
        .select_related("shop")
        .prefetch_related("lines")
        .order_by("shop_id", "pk")
    )
    return [
        PaymentPart(
            id=order.pk,
            title=order.shop.name,
            status=order.status,
            status_label=order.get_status_display(),
            awaiting_payment=order.status == Status.AWAITING_PAYMENT,
            freight=order.freight,
            total=order.total,
            lines=[
                PaymentPartLine(
                    product_title=line.product_title,
                    variant_label=line.variant_label,
                    unit_price=line.unit_price,
                    quantity=line.quantity,
                )
                for line in order.lines.all()
            ],
        )
        for order in orders
    ]


def connect() -> None:
    """Register the functions above with payments (OrdersConfig.ready())."""
    from villagemarket.payments import hooks

    from .refund_payments import refund_reported

    hooks.register(
        payment_succeeded=payment_succeeded,
        payment_failed=payment_failed,
        may_be_paid=may_be_paid,
        payment_parts=payment_parts,
        refund_reported=refund_reported,
    )
