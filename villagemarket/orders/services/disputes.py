"""Disputes: either side of a refund asks the operator to arbitrate; both sides state their case
with evidence images; the operator decides for the buyer (the refund is paid and posted to the
ledger) or for the seller (the request ends without money back)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models.functions import Now
from django.utils.translation import gettext as _

from villagemarket.accounts.permissions import require_operator
from villagemarket.core.errors import Conflict, Invalid, NotFound
from villagemarket.core.images import process_upload

from ..models import Dispute, DisputeStatement, RefundRequest
from ..refund_states import RefundEvent, RefundStatus
from .refund_payments import begin_paying, pay_out
from .refunds import _claim, _end_without_refund, _move_refund, _refuse, require_party


def _statement(dispute: Dispute, side: str, author, text: str, image=None) -> DisputeStatement:
    text = (text or "").strip()
    if not text:
        raise Invalid(_("Say what happened."), fields={"text": [_("Say what happened.")]})
    if len(text) > 1000:
        raise Invalid(
            _("At most 1000 characters."), fields={"text": [_("At most 1000 characters.")]}
        )
    statement = DisputeStatement(dispute=dispute, side=side, author=author, text=text)
    if image:
        content, _w, _h = process_upload(image, field="image")
        statement.image.save(content.name, content, save=False)
    statement.save()
    return statement


def open_dispute(*, user, refund_id: int, text: str, image=None) -> Dispute:
    """The buyer or the seller asks the operator to decide, with a first statement. A rejected
    request may be escalated by the buyer: its amount is claimed again (guarded)."""
    with transaction.atomic():
        refund = RefundRequest.objects.select_related("order").filter(pk=refund_id).first()
        if refund is None:
            raise NotFound(_("No such refund request."))
        side = require_party(user, refund)
        source = refund.status
        if source == RefundStatus.REJECTED:
            if side != "buyer":
                raise Conflict(
                    _("Only the buyer can contest a rejection."), code="illegal_transition"
                )
            _claim(refund.order_id, refund.amount_minor)
        if Dispute.objects.filter(refund=refund).exists():
            raise Conflict(_("This refund is already in arbitration."), code="already_disputed")
        try:
            with transaction.atomic():
                moved = _move_refund(refund.pk, source, RefundEvent.ESCALATE, closed_at=None)
        except IntegrityError:
            # A contested rejection opens again, and the order has another open request: the
            # one-open-request index says no; the claim above is undone with this transaction.
            raise Conflict(
                _("This order already has an open refund request."), code="refund_already_open"
            ) from None
        if not moved:
            _refuse(refund, RefundEvent.ESCALATE)
        dispute = Dispute.objects.create(refund=refund, opened_by=user)
        _statement(dispute, side, user, text, image)
        return dispute


def add_statement(*, user, dispute_id: int, text: str, image=None) -> DisputeStatement:
    """Either side adds to its case while the dispute is undecided."""
    with transaction.atomic():
        dispute = Dispute.objects.select_related("refund__order").filter(pk=dispute_id).first()
        if dispute is None:
            raise NotFound(_("No such dispute."))
        side = require_party(user, dispute.refund)
        if dispute.decided_at is not None:
            raise Conflict(_("The operator has already decided."), code="dispute_decided")
        return _statement(dispute, side, user, text, image)


def decide_dispute(*, operator, dispute_id: int, for_buyer: bool, note: str) -> Dispute:
    """The operator decides. For the buyer: the refund is paid (provider, ledger, observatory;
    a provider's refusal undoes the decision and says why).
    For the seller: the request ends and the amount is free again."""
    require_operator(operator)
    note = (note or "").strip()
    if not note:
        raise Invalid(_("Give the reasons."), fields={"note": [_("Give the reasons.")]})
    with transaction.atomic():
        dispute = Dispute.objects.select_related("refund").filter(pk=dispute_id).first()
        if dispute is None:
            raise NotFound(_("No such dispute."))
        refund = dispute.refund
        event = RefundEvent.DECIDE_REFUND if for_buyer else RefundEvent.DECIDE_REJECT
        moved = (
            begin_paying(refund, RefundStatus.DISPUTED, event)
            if for_buyer
            else _move_refund(refund.pk, RefundStatus.DISPUTED, event)
        )
        if not moved:
            _refuse(refund, event)
        Dispute.objects.filter(pk=dispute.pk).update(
            decided_by=operator,
            decided_at=Now(),
            decision="buyer" if for_buyer else "seller",
            decision_note=note[:1000],
        )
        if not for_buyer:
            _end_without_refund(refund)
    if for_buyer:  # after the commit: the provider is never asked inside a transaction
        pay_out(refund.pk, interactive=True)
    dispute.refresh_from_db()
    return dispute
