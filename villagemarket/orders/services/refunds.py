"""Refunds and returns: the buyer asks, the seller answers (or the clock answers for them), money
goes back through the payment provider and the ledger, and the observatory hears of it.

The amount is claimed by one guarded UPDATE on the order (`refund_claimed_minor + amount <=
total_minor`, backed by a CheckConstraint), so concurrent requests never claim more than the
order's total. Every status move is a guarded UPDATE ... WHERE status = <expected>. Timers use
the database clock. Disputes (operator arbitration) are in disputes.py.
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
from villagemarket.ledger import selectors as ledger_selectors
from villagemarket.ledger import services as ledger
from villagemarket.ledger.models import EventType

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
from ..states import Event, Status
from .fulfilment import SWEEP_BATCH, _move, _release_stock_of, order_of
from .settlement import settlement_reference

REFUNDABLE_ORDER = (Status.AWAITING_SHIPMENT, Status.SHIPPED, Status.COMPLETED)


def can_ask_refund(order: ShopOrder) -> bool:
    """Whether the order's page offers "Ask for a refund" (request_refund decides for real)."""
    return (
        order.status in REFUNDABLE_ORDER
        and order.refund_claimed_minor < order.total_minor
        and not RefundRequest.objects.filter(order=order, status__in=OPEN).exists()
    )


def _move_refund(refund_id: int, source: str, event: str, **changes) -> bool:
    """Guarded refund status change; True when this call made it."""
    target = next_refund_status(source, event)
    if target not in OPEN:
        changes.setdefault("closed_at", Now())
    return (
        RefundRequest.objects.filter(pk=refund_id, status=source).update(status=target, **changes)
        == 1
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


def _unclaim(refund: RefundRequest) -> None:
    ShopOrder.objects.filter(pk=refund.order_id).update(
        refund_claimed_minor=F("refund_claimed_minor") - refund.amount_minor
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
        if not shipped:
            _move_refund(refund.pk, RefundStatus.REQUESTED, RefundEvent.GRANT)
            _pay_back(refund)
        else:
            RefundRequest.objects.filter(pk=refund.pk).update(
                seller_due_at=Now() + datetime.timedelta(days=settings.REFUND_SELLER_DAYS)
            )
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
            if not _move_refund(
                refund.pk, RefundStatus.REQUESTED, RefundEvent.APPROVE, seller_note=note
            ):
                _refuse(refund, RefundEvent.APPROVE)
            _pay_back(refund)
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

    carrier, tracking_no = clean_shipment(carrier, tracking_no)
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
        if not _move_refund(refund.pk, RefundStatus.RETURNING, RefundEvent.CONFIRM_RETURN):
            _refuse(refund, RefundEvent.CONFIRM_RETURN)
        _pay_back(refund)
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


def _commission_returned(order: ShopOrder, amount: Money) -> Money:
    """The platform gives back its commission on what is refunded after settlement, in
    proportion to what was settled (rounded down, cumulatively, so never more than it kept and
    all of it once everything is refunded): the seller pays no commission on money returned."""
    settled, commission = ledger_selectors.settlement_split(
        settlement_reference(order.pk), amount.currency
    )
    if settled.minor <= 0:
        return Money.zero(amount.currency)
    # Cumulative, so several partial refunds give back exactly the whole commission in the end:
    # what was refunded after settlement so far is what was refunded less what settlement left out.
    before = max(0, order.refunded_minor - (order.total_minor - settled.minor))
    after = min(settled.minor, before + amount.minor)
    share = commission.minor * after // settled.minor - commission.minor * before // settled.minor
    return Money(share, amount.currency)


def _settled(order_id: int) -> bool:
    return ledger_selectors.is_posted(EventType.ORDER_SETTLED, settlement_reference(order_id))


def _pay_back(refund: RefundRequest) -> None:
    """Pay a granted refund, inside the caller's transaction: provider refund, ledger posting,
    the order's refunded amount (closing it when fully refunded before completion, and giving
    stock back when it never shipped) and the observatory's refund record. Each happens once:
    callers reach this only through the guarded move to `refunded`."""
    # The order row is locked so a settlement that also locks it (before posting `order_settled`)
    # and this refund see each other: one posts before, the other after.
    order = (
        ShopOrder.objects.select_for_update(of=("self",))
        .select_related("payment")
        .get(pk=refund.order_id)
    )
    amount = refund.amount
    provider = order.payment.provider if order.payment_id else "sandbox"
    reference = f"refund:{refund.pk}"
    _provider_refund(order, amount, reference)
    if _settled(order.pk):
        ledger.refund_after_settlement(
            reference=reference,
            provider=provider,
            shop_id=order.shop_id,
            amount=amount,
            commission_returned=_commission_returned(order, amount),
            # The payable may go below zero when the seller was already paid out: recorded.
            reason=f"refund {refund.pk} of settled order {order.pk}",
        )
    else:
        ledger.refund_before_settlement(reference=reference, provider=provider, amount=amount)
    ShopOrder.objects.filter(pk=order.pk).update(refunded_minor=F("refunded_minor") + amount.minor)
    RefundRequest.objects.filter(pk=refund.pk).update(refunded_at=Now())
    order.refresh_from_db(fields=["refunded_minor", "status"])
    _close_when_fully_refunded(order)
    hooks.order_refunded(
        hooks.Refund(
            shop_id=order.shop_id,
            ref=reference,
            day=timezone.localdate(),
            amount_minor=amount.minor,
            currency=amount.currency,
        )
    )


def _close_when_fully_refunded(order: ShopOrder) -> None:
    """A fully refunded order that had not completed closes; one that never shipped gives its
    stock back. (A completed order stays completed: its refund is after-sales.)"""
    if order.refunded_minor != order.total_minor:
        return
    if order.status not in (Status.AWAITING_SHIPMENT, Status.SHIPPED):
        return
    closed = _move(order.pk, order.status, Event.REFUND, closed_at=Now(), close_reason="refunded")
    if closed and order.status == Status.AWAITING_SHIPMENT:
        _release_stock_of([order.pk])


def _provider_refund(order: ShopOrder, amount: Money, reference: str) -> None:
    """Ask the payment provider to give the money back. `reference` is the provider's refund
    number, so a retried call refunds once. The sandbox answers success."""
    from villagemarket.payments.providers.base import SANDBOX, get_provider
    from villagemarket.payments.providers.remote import ProviderError

    if not order.payment_id:
        return
    name = order.payment.provider
    try:
        provider = get_provider(name)
    except KeyError:
        provider = None
    refund = getattr(provider, "refund", None)
    if refund is not None:
        try:
            result = refund(order.payment, amount=amount, refund_no=reference)
        except ProviderError as exc:
            result, why = None, exc.message
        else:
            why = (result.detail or {}).get("reason", "") if result is not None else ""
        # A refused refund moves nothing: raising rolls back the move to `refunded`, the ledger
        # posting and the order's refunded amount ("processing" is the provider's promise).
        if result is None or result.status == "failed":
            raise Conflict(
                _("The payment provider refused the refund (%(why)s); nothing was changed.")
                % {"why": why or _("no reason given")},
                code="provider_refund_failed",
            )
    elif name != SANDBOX:
        raise Conflict(
            _("The payment provider %(name)s cannot refund yet.") % {"name": name},
            code="provider_cannot_refund",
        )


def _due(queryset):
    queryset = queryset.order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    return list(queryset[:SWEEP_BATCH])


def sweep_refund_deadlines() -> int:
    """The clock answers for a silent seller: requests unanswered past seller_due_at are
    approved, returns unconfirmed past return_due_at are confirmed. Idempotent and safe with
    several workers (SKIP LOCKED where available, guarded moves). Returns how many moved."""
    moved_total = 0
    while True:
        with transaction.atomic():
            batch = _due(
                RefundRequest.objects.filter(status=RefundStatus.REQUESTED, seller_due_at__lt=Now())
            ) + _due(
                RefundRequest.objects.filter(status=RefundStatus.RETURNING, return_due_at__lt=Now())
            )
            moved = 0
            for refund in batch:
                if refund.status == RefundStatus.RETURNING:
                    if _move_refund(refund.pk, RefundStatus.RETURNING, RefundEvent.CONFIRM_RETURN):
                        _pay_back(refund)
                        moved += 1
                elif refund.kind == RefundKind.RETURN:
                    moved += _move_refund(
                        refund.pk, RefundStatus.REQUESTED, RefundEvent.APPROVE_RETURN
                    )
                elif _move_refund(refund.pk, RefundStatus.REQUESTED, RefundEvent.APPROVE):
                    _pay_back(refund)
                    moved += 1
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
