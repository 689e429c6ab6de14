"""Refunds and returns: the buyer asks, the seller answers (or the clock answers for them), money
goes back through the payment provider and the ledger, and the observatory hears of it.

The amount is claimed by one guarded UPDATE on the order (`refund_claimed_minor + amount <=
total_minor`, backed by a CheckConstraint), so concurrent requests never claim more than the
order's total. Every status move is a guarded UPDATE ... WHERE status = <expected>. Timers use
the database clock. Disputes (operator arbitration) are in disputes.py.

A granted refund is paid back in two phases (refund_payments.py): the use-case's transaction
moves it to `paying` and commits; the provider is asked after that, outside any transaction, and
a second short transaction posts the money. So each use-case that grants one calls `pay_out`
after its `with transaction.atomic()` block.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.core.errors import Conflict, Forbidden, Invalid, NotFound
from villagemarket.core.money import Money

from .. import hooks
from ..models import RefundRequest, ShopOrder
from ..refund_states import (
    OPEN,
    RefundEvent,
    RefundKind,
    RefundReason,
    RefundStatus,
    next_refund_status,
    no_reason_return_allowed,
)
from ..states import Status
from .fulfilment import SWEEP_BATCH, order_of
from .refund_payments import _move_refund, _tell, _unclaim, begin_paying, pay_out

REFUNDABLE_ORDER = (Status.AWAITING_SHIPMENT, Status.SHIPPED, Status.COMPLETED)


def can_ask_refund(order: ShopOrder) -> bool:
    """Whether the order's page offers "Ask for a refund" (request_refund decides for real)."""
    return (
        order.status in REFUNDABLE_ORDER
        and order.refund_claimed_minor < order.total_minor
        and not RefundRequest.objects.filter(order=order, status__in=OPEN).exists()
    )


def _refuse(refund: RefundRequest, event: str) -> None:
    refund.refresh_from_db(fields=["status"])
    next_refund_status(refund.status, event)  # raises when illegal
    raise Conflict(_("The refund changed meanwhile; reload and try again."), code="refund_changed")


def _claim(order_id: int, amount_minor: int) -> None:
    """Hold `amount_minor` of the order for a refund, or refuse naming what is left."""
    claimed = ShopOrder.objects.filter(
        pk=order_id, refund_claimed_minor__lte=F("total_minor") - amount_minor
    ).update(refund_claimed_minor=F("refund_claimed_minor") + amount_minor)
    if claimed != 1:
        order = ShopOrder.objects.get(pk=order_id)
        raise Conflict(
            _("At most %(left)s can still be refunded on this order.") % {"left": order.refundable},
            code="refund_exceeds_refundable",
            fields={"amount": [_("At most %(left)s.") % {"left": order.refundable}]},
        )


def _check_reason(order: ShopOrder, reason: str, kind: str) -> None:
    if reason not in RefundReason.values:
        raise Invalid(_("Choose a reason."), fields={"reason": [_("Choose a reason.")]})
    if kind not in RefundKind.values:
        raise Invalid(_("Choose what you want."), fields={"kind": [_("Choose what you want.")]})
    if order.status == Status.AWAITING_SHIPMENT and kind == RefundKind.RETURN:
        raise Invalid(
            _("Nothing has shipped yet, so there is nothing to return."),
            fields={"kind": [_("Nothing to return before shipment.")]},
        )
    if reason == RefundReason.NO_REASON:
        _check_no_reason_return(order)


def _check_no_reason_return(order: ShopOrder) -> None:
    """7-day no-reason return: only for products that offer it (never perishable or custom-made
    ones) and within NO_REASON_RETURN_DAYS of receipt (or any time while still in transit)."""
    products = list(
        order.lines.values_list(
            "sku__product__returns_7day",
            "sku__product__is_perishable",
            "sku__product__is_custom_made",
        )
    )
    refusal = None
    if not no_reason_return_allowed(products):
        refusal = _("This order has goods that do not offer 7-day no-reason return.")
    elif order.status == Status.COMPLETED and (
        ShopOrder.objects.filter(
            pk=order.pk,
            completed_at__lt=Now() - datetime.timedelta(days=settings.NO_REASON_RETURN_DAYS),
        ).exists()
    ):
        refusal = _("The 7 days for a no-reason return have passed.")
    if refusal:
        raise Invalid(refusal, code="no_reason_return_refused", fields={"reason": [refusal]})


def request_refund(
    *, buyer, order_id: int, amount: Money, reason: str, kind: str, detail: str = ""
) -> RefundRequest:
    """The buyer asks for money back (up to what is still refundable). Before shipment it is
    granted at once; after shipment the seller has REFUND_SELLER_DAYS to answer."""
    with transaction.atomic():
        order = order_of(order_id, buyer=buyer)
        if order.status not in REFUNDABLE_ORDER:
            raise Conflict(
                _("An order that is %(status)s cannot be refunded.")
                % {"status": order.get_status_display()},
                code="illegal_transition",
            )
        if amount.currency != order.currency:
            raise Invalid(
                _("The amount is in the wrong currency."), fields={"amount": [_("Wrong currency.")]}
            )
        if amount.minor <= 0:
            raise Invalid(_("Ask for more than zero."), fields={"amount": [_("More than zero.")]})
        _check_reason(order, reason, kind)
        if RefundRequest.objects.filter(order=order, status__in=OPEN).exists():
            raise Conflict(
                _("This order already has an open refund request."), code="refund_already_open"
            )
        _claim(order.pk, amount.minor)
        shipped = order.status != Status.AWAITING_SHIPMENT
        try:
            with transaction.atomic():  # the partial unique index settles a race for "open"
                refund = RefundRequest.objects.create(
                    order=order,
                    kind=kind,
                    reason=reason,
                    detail=detail[:500],
                    amount_minor=amount.minor,
                    currency=amount.currency,
                    after_shipment=shipped,
                )
        except IntegrityError:
            raise Conflict(
                _("This order already has an open refund request."), code="refund_already_open"
            ) from None
        _tell(hooks.REFUND_REQUESTED, refund.pk)
        if not shipped:
            begin_paying(refund, RefundStatus.REQUESTED, RefundEvent.GRANT)
        else:
            RefundRequest.objects.filter(pk=refund.pk).update(
                seller_due_at=Now() + datetime.timedelta(days=settings.REFUND_SELLER_DAYS)
            )
    if not shipped:
        pay_out(refund.pk, interactive=True)
    refund.refresh_from_db()
    return refund


def _seller_refund(shop, refund_id: int) -> RefundRequest:
    refund = RefundRequest.objects.select_related("order").filter(pk=refund_id).first()
    if refund is None or refund.order.shop_id != shop.pk:
        raise NotFound(_("No such refund request."))
    return refund


def _buyer_refund(buyer, refund_id: int) -> RefundRequest:
    refund = RefundRequest.objects.select_related("order").filter(pk=refund_id).first()
    if refund is None or refund.order.buyer_id != getattr(buyer, "pk", None):
        raise NotFound(_("No such refund request."))
    return refund


def approve_refund(*, shop, refund_id: int, note: str = "") -> RefundRequest:
    """The seller agrees. Money-only refunds are paid at once; a return waits for the goods."""
    with transaction.atomic():
        refund = _seller_refund(shop, refund_id)
        if refund.kind == RefundKind.RETURN:
            if not _move_refund(
                refund.pk, RefundStatus.REQUESTED, RefundEvent.APPROVE_RETURN, seller_note=note
            ):
                _refuse(refund, RefundEvent.APPROVE_RETURN)
        else:
            if not begin_paying(
                refund, RefundStatus.REQUESTED, RefundEvent.APPROVE, seller_note=note
            ):
                _refuse(refund, RefundEvent.APPROVE)
    if refund.kind != RefundKind.RETURN:
        pay_out(refund.pk, interactive=True)
    refund.refresh_from_db()
    return refund


def reject_refund(*, shop, refund_id: int, note: str) -> RefundRequest:
    """The seller refuses, saying why; the amount is free again and the order's clock resumes."""
    note = (note or "").strip()
    if not note:
        raise Invalid(_("Say why you refuse."), fields={"note": [_("Say why you refuse.")]})
    with transaction.atomic():
        refund = _seller_refund(shop, refund_id)
        if not _move_refund(
            refund.pk, RefundStatus.REQUESTED, RefundEvent.REJECT, seller_note=note
        ):
            _refuse(refund, RefundEvent.REJECT)
        _end_without_refund(refund)
        refund.refresh_from_db()
        return refund


def cancel_refund(*, buyer, refund_id: int) -> RefundRequest:
    """The buyer withdraws an open request (before the goods are on their way back)."""
    with transaction.atomic():
        refund = _buyer_refund(buyer, refund_id)
        if not _move_refund(refund.pk, refund.status, RefundEvent.CANCEL):
            _refuse(refund, RefundEvent.CANCEL)
        _end_without_refund(refund)
        refund.refresh_from_db()
        return refund


def ship_back(*, buyer, refund_id: int, carrier: str, tracking_no: str) -> RefundRequest:
    """The buyer sends the goods back with a tracking number; the seller then has
    REFUND_RETURN_CONFIRM_DAYS to confirm they came back (silence confirms)."""
    from .validation import clean_shipment

    shipment = clean_shipment(carrier, tracking_no)
    carrier, tracking_no = shipment.carrier, shipment.tracking_no
    with transaction.atomic():
        refund = _buyer_refund(buyer, refund_id)
        moved = _move_refund(
            refund.pk,
            RefundStatus.AWAITING_RETURN,
            RefundEvent.SHIP_BACK,
            return_carrier=carrier,
            return_tracking_no=tracking_no,
            return_due_at=Now() + datetime.timedelta(days=settings.REFUND_RETURN_CONFIRM_DAYS),
        )
        if not moved:
            _refuse(refund, RefundEvent.SHIP_BACK)
        refund.refresh_from_db()
        return refund


def confirm_return(*, shop, refund_id: int) -> RefundRequest:
    """The seller confirms the goods came back: the money is paid back."""
    with transaction.atomic():
        refund = _seller_refund(shop, refund_id)
        if not begin_paying(refund, RefundStatus.RETURNING, RefundEvent.CONFIRM_RETURN):
            _refuse(refund, RefundEvent.CONFIRM_RETURN)
    pay_out(refund.pk, interactive=True)
    refund.refresh_from_db()
    return refund


def _end_without_refund(refund: RefundRequest) -> None:
    """A request ended with no money back: free its amount, and give the order's automatic
    confirmation back the time the request paused it (both instants from the database clock)."""
    _unclaim(refund)
    refund.refresh_from_db(fields=["created_at", "closed_at"])
    paused = (refund.closed_at or timezone.now()) - refund.created_at
    ShopOrder.objects.filter(pk=refund.order_id, status=Status.SHIPPED).update(
        auto_complete_at=F("auto_complete_at") + paused
    )


def _due(queryset):
    queryset = queryset.order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    return list(queryset[:SWEEP_BATCH])


def sweep_refund_deadlines() -> int:
    """The clock answers for a silent seller: requests unanswered past seller_due_at are
    approved, returns unconfirmed past return_due_at are confirmed. Idempotent and safe with
    several workers (SKIP LOCKED where available, guarded moves). Refunds it grants are paid
    back after its transaction commits (nobody waits: a refusal leaves them failed for an
    operator). Returns how many moved."""
    moved_total = 0
    while True:
        to_pay = []
        with transaction.atomic():
            batch = _due(
                RefundRequest.objects.filter(status=RefundStatus.REQUESTED, seller_due_at__lt=Now())
            ) + _due(
                RefundRequest.objects.filter(status=RefundStatus.RETURNING, return_due_at__lt=Now())
            )
            moved = 0
            for refund in batch:
                if refund.status == RefundStatus.RETURNING:
                    if begin_paying(refund, RefundStatus.RETURNING, RefundEvent.CONFIRM_RETURN):
                        to_pay.append(refund.pk)
                        moved += 1
                elif refund.kind == RefundKind.RETURN:
                    moved += _move_refund(
                        refund.pk, RefundStatus.REQUESTED, RefundEvent.APPROVE_RETURN
                    )
                elif begin_paying(refund, RefundStatus.REQUESTED, RefundEvent.APPROVE):
                    to_pay.append(refund.pk)
                    moved += 1
        for refund_id in to_pay:
            pay_out(refund_id, interactive=False)
        moved_total += moved
        if len(batch) < SWEEP_BATCH:
            return moved_total


def require_party(user, refund: RefundRequest) -> str:
    """'buyer' or 'seller' for the two sides of a refund; Forbidden for anyone else."""
    if refund.order.buyer_id == getattr(user, "pk", None):
        return "buyer"
    from villagemarket.shops.models import ShopMember

    if ShopMember.objects.filter(
        shop_id=refund.order.shop_id, user_id=getattr(user, "pk", None)
    ).exists():
        return "seller"
    raise Forbidden(_("Only the buyer and the seller of this order can do this."))
