"""Fulfilment of an order after checkout: cancel, unpaid timeout, ship, confirm, auto-complete.

(Payment's effect on orders is in payment_hooks.)

Every move is a guarded UPDATE ... WHERE status = <expected>: whoever loses a race updates zero
rows and gets IllegalTransition (or, in a sweep, simply skips the order). Timers use the database's
clock (Now()) so app servers with drifting clocks agree.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.catalog import stock
from villagemarket.core.errors import NotFound
from villagemarket.payments.services import close_payments

from .. import hooks
from ..models import ShopOrder, ShopOrderLine
from ..refund_states import OPEN
from ..states import Event, Status, next_status
from .settlement import settle_completed_order

SWEEP_BATCH = 200


def order_of(order_id: int, **owner) -> ShopOrder:
    """The shop order `order_id` if it belongs to `owner` (buyer= or shop=); NotFound otherwise,
    the same answer whether it does not exist or is someone else's."""
    order = ShopOrder.objects.filter(pk=order_id, **owner).first()
    if order is None:
        raise NotFound(_("No such order."))
    return order


def _move(order_id: int, source: str, event: str, **changes) -> bool:
    """Guarded status change; True when this call made it (the row was still in `source`)."""
    target = next_status(source, event)
    moved = (
        ShopOrder.objects.filter(pk=order_id, status=source).update(status=target, **changes) == 1
    )
    if moved:
        hooks.order_event(hooks.OrderEvent(kind=event, order_id=order_id))
    return moved


def _refuse(order: ShopOrder, event: str) -> None:
    """Raise IllegalTransition for an order whose status moved under us (or never allowed it)."""
    order.refresh_from_db(fields=["status"])
    next_status(order.status, event)  # raises when illegal
    raise AssertionError(
        "unreachable: the guarded update lost although the move is legal"
    )  # pragma: no cover


def _release_stock_of(order_ids: list[int]) -> None:
    totals: dict[int, int] = defaultdict(int)
    for sku_id, quantity in ShopOrderLine.objects.filter(order_id__in=order_ids).values_list(
        "sku_id", "quantity"
    ):
        totals[sku_id] += quantity
    stock.release(totals)


def _record_sale(order_id: int) -> None:
    """Count the units sold and tell the completion listeners (the observatory), inside the
    completing transaction; unless a sale gate (anti-brushing) holds the order back: then it is
    marked `sale_held` and counted later by count_held_sale, on its original day."""
    if hooks.sale_held(order_id):
        ShopOrder.objects.filter(pk=order_id).update(sale_held=True)
        return
    _count_sale(order_id)


def _count_sale(order_id: int) -> None:
    stock.count_sold(
        ShopOrderLine.objects.filter(order_id=order_id).values_list("sku_id", "quantity")
    )
    order = ShopOrder.objects.only("shop_id", "completed_at", "total_minor", "currency").get(
        pk=order_id
    )
    hooks.order_completed(
        hooks.CompletedSale(
            shop_id=order.shop_id,
            ref=f"order:{order.pk}",
            day=timezone.localdate(order.completed_at),
            amount_minor=order.total_minor,
            currency=order.currency,
        )
    )


def count_held_sale(order_id: int) -> bool:
    """Count a sale the gate held back (an operator cleared the order): its units, and its amount
    on the day it completed; refunds already paid back on it are told then too, each on its own
    day (they were held back with the sale). Once: a guarded UPDATE takes the hold off, so a
    second call (or one for an order that was never held) counts nothing and returns False."""
    from ..models import RefundRequest
    from ..refund_states import RefundStatus

    with transaction.atomic():
        if not ShopOrder.objects.filter(pk=order_id, sale_held=True).update(sale_held=False):
            return False
        _count_sale(order_id)
        order = ShopOrder.objects.only("shop_id").get(pk=order_id)
        paid_back = RefundRequest.objects.filter(
            order_id=order_id, status=RefundStatus.REFUNDED
        ).order_by("pk")
        for refund in paid_back:
            hooks.order_refunded(
                hooks.Refund(
                    shop_id=order.shop_id,
                    ref=f"refund:{refund.pk}",
                    day=timezone.localdate(refund.refunded_at or timezone.now()),
                    amount_minor=refund.amount_minor,
                    currency=refund.currency,
                )
            )
        return True


def cancel_unpaid(*, buyer, order_id: int) -> list[ShopOrder]:
    """The buyer cancels an unpaid order. Its whole checkout is cancelled with it (they share one
    payment, whose amount covers them all); stock returns. Returns the cancelled orders."""
    with transaction.atomic():
        order = order_of(order_id, buyer=buyer)
        siblings = (
            ShopOrder.objects.filter(payment_id=order.payment_id) if order.payment_id else None
        )
        ids = sorted(siblings.values_list("pk", flat=True)) if siblings is not None else [order.pk]
        closed = [
            pk
            for pk in ids
            if _move(
                pk, Status.AWAITING_PAYMENT, Event.CANCEL, closed_at=Now(), close_reason="cancelled"
            )
        ]
        if order.pk not in closed:
            _refuse(order, Event.CANCEL)
        _release_stock_of(closed)
        _close_paymentless([order.payment_id])
        return list(ShopOrder.objects.filter(pk__in=closed).order_by("pk"))


def _close_paymentless(payment_ids) -> None:
    """Close the payments of `payment_ids` that no longer cover any order awaiting payment.

    Inside the transaction that closed the orders: nothing moves an order back to awaiting
    payment, and payments' own UPDATE is guarded on its status, so a success racing this close
    still wins (and is flagged for refund by payment_hooks)."""
    ids = {pk for pk in payment_ids if pk}
    if not ids:
        return
    still_open = set(
        ShopOrder.objects.filter(payment_id__in=ids, status=Status.AWAITING_PAYMENT).values_list(
            "payment_id", flat=True
        )
    )
    close_payments(ids - still_open)


def _due(queryset):
    """Lock a batch of due orders; other workers skip the locked rows on PostgreSQL."""
    queryset = queryset.order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    return list(queryset.values_list("pk", flat=True)[:SWEEP_BATCH])


def close_unpaid_orders() -> int:
    """Close orders unpaid for UNPAID_ORDER_TIMEOUT_MINUTES (database clock) and return their stock.

    Idempotent and safe with several workers at once: rows are claimed with SKIP LOCKED where the
    database has it, and each close is a guarded UPDATE, so an order closes (and restocks) once.
    Returns how many orders this call closed.
    """
    limit = Now() - datetime.timedelta(minutes=settings.UNPAID_ORDER_TIMEOUT_MINUTES)
    closed_total = 0
    while True:
        with transaction.atomic():
            ids = _due(
                ShopOrder.objects.filter(status=Status.AWAITING_PAYMENT, created_at__lt=limit)
            )
            closed = [
                pk
                for pk in ids
                if _move(
                    pk,
                    Status.AWAITING_PAYMENT,
                    Event.TIME_OUT,
                    closed_at=Now(),
                    close_reason="unpaid",
                )
            ]
            _release_stock_of(closed)
            _close_paymentless(
                ShopOrder.objects.filter(pk__in=closed).values_list("payment_id", flat=True)
            )
        closed_total += len(closed)
        if len(ids) < SWEEP_BATCH:
            return closed_total


def ship_order(*, shop, order_id: int, carrier: str, tracking_no: str) -> ShopOrder:
    """The shop hands a paid order to a carrier; it completes by itself AUTO_CONFIRM_DAYS later.

    `carrier` is a courier code from the list (the number must fit its pattern) or a carrier's
    name (see services/validation.py for how names are handled)."""
    from .validation import clean_shipment

    shipment = clean_shipment(carrier, tracking_no)
    with transaction.atomic():
        order = order_of(order_id, shop=shop)
        moved = _move(
            order.pk,
            Status.AWAITING_SHIPMENT,
            Event.SHIP,
            carrier=shipment.carrier,
            courier=shipment.courier,
            tracking_no=shipment.tracking_no,
            shipped_at=Now(),
            auto_complete_at=Now() + datetime.timedelta(days=settings.AUTO_CONFIRM_DAYS),
        )
        if not moved:
            _refuse(order, Event.SHIP)
        order.refresh_from_db()
        return order


def confirm_receipt(*, buyer, order_id: int) -> ShopOrder:
    """The buyer confirms the parcel arrived: the order completes and counts as a sale."""
    with transaction.atomic():
        order = order_of(order_id, buyer=buyer)
        if not _move(order.pk, Status.SHIPPED, Event.CONFIRM, completed_at=Now()):
            _refuse(order, Event.CONFIRM)
        settle_completed_order(order.pk)
        _record_sale(order.pk)
        order.refresh_from_db()
        return order


def extend_auto_confirm(*, shop, order_id: int, days: int | None = None) -> ShopOrder:
    """The seller gives the buyer more time before auto-completion; allowed once per order."""
    days = days or settings.AUTO_CONFIRM_DAYS
    with transaction.atomic():
        order = order_of(order_id, shop=shop)
        next_status(order.status, Event.EXTEND)
        extended = ShopOrder.objects.filter(
            pk=order.pk, status=Status.SHIPPED, extended=False
        ).update(
            extended=True, auto_complete_at=F("auto_complete_at") + datetime.timedelta(days=days)
        )
        if not extended:
            order.refresh_from_db()
            next_status(order.status, Event.EXTEND)
            from villagemarket.core.errors import Conflict

            raise Conflict(
                _("The automatic confirmation was already extended once."), code="already_extended"
            )
        order.refresh_from_db()
        return order


def auto_complete_orders() -> int:
    """Complete shipped orders whose auto_complete_at has passed (database clock). Idempotent;
    several workers at once complete (and record) each order once.
    Returns how many this call completed."""
    completed_total = 0
    while True:
        with transaction.atomic():
            # An open refund request pauses the clock (its end gives the paused time back).
            ids = _due(
                ShopOrder.objects.filter(status=Status.SHIPPED, auto_complete_at__lt=Now()).exclude(
                    refunds__status__in=OPEN
                )
            )
            completed = [
                pk
                for pk in ids
                if _move(pk, Status.SHIPPED, Event.AUTO_COMPLETE, completed_at=Now())
            ]
            for pk in completed:
                settle_completed_order(pk)
                _record_sale(pk)
        completed_total += len(completed)
        if len(ids) < SWEEP_BATCH:
            return completed_total


def mark_delivered(order_id: int, at: datetime.datetime) -> ShopOrder:
    """The courier reports the parcel of a shipped order delivered at `at` (a future time counts
    as now). The order records delivered_at once (the first report wins), and its auto-complete
    time moves earlier by the delivered rule (orders/delivery.py), never later. Called by the
    tracking app; an order that is not shipped any more (confirmed, refunded) is left as it is.
    Tells the order-event listeners (kind hooks.DELIVERED) when this call recorded it."""
    from ..delivery import deadline_after_delivery

    with transaction.atomic():
        order = ShopOrder.objects.select_for_update().filter(pk=order_id).first()
        if order is None:
            raise NotFound(_("No such order."))
        if order.status != Status.SHIPPED or order.delivered_at is not None:
            return order
        at = min(at, timezone.now())
        deadline = deadline_after_delivery(
            order.auto_complete_at,
            at,
            confirm_days=settings.DELIVERED_CONFIRM_DAYS,
            refund_open=order.refunds.filter(status__in=OPEN).exists(),
            extended=order.extended,
        )
        ShopOrder.objects.filter(pk=order.pk, status=Status.SHIPPED).update(
            delivered_at=at, auto_complete_at=deadline
        )
        hooks.order_event(hooks.OrderEvent(kind=hooks.DELIVERED, order_id=order.pk))
        order.refresh_from_db()
        return order
