"""The life of a seller's withdrawal request as pure rules (no ORM), in orders/states.py's shape.

requested -> paid (an operator paid it: the payout is posted), or requested -> cancelled (the
seller withdrew the request) / rejected (an operator refused it, saying why). A move that is not
listed raises IllegalTransition (HTTP 409).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from villagemarket.core.errors import IllegalTransition


class WithdrawalStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    PAID = "paid", _("paid")
    CANCELLED = "cancelled", _("cancelled")
    REJECTED = "rejected", _("rejected")


class WithdrawalEvent(models.TextChoices):
    PAY = "pay", _("pay out")
    CANCEL = "cancel", _("cancel")
    REJECT = "reject", _("reject")


TRANSITIONS: dict[tuple[str, str], str] = {
    (WithdrawalStatus.REQUESTED, WithdrawalEvent.PAY): WithdrawalStatus.PAID,
    (WithdrawalStatus.REQUESTED, WithdrawalEvent.CANCEL): WithdrawalStatus.CANCELLED,
    (WithdrawalStatus.REQUESTED, WithdrawalEvent.REJECT): WithdrawalStatus.REJECTED,
}

# Requests that still hold part of the balance back from new requests.
PENDING = [WithdrawalStatus.REQUESTED]


def next_status(status: str, event: str) -> WithdrawalStatus:
    """The status after `event`, or IllegalTransition naming both."""
    try:
        return WithdrawalStatus(TRANSITIONS[(status, event)])
    except KeyError:
        raise IllegalTransition(
            str(_("A withdrawal that is %(status)s cannot %(event)s."))
            % {
                "status": WithdrawalStatus(status).label,
                "event": WithdrawalEvent(event).label,
            },
        ) from None


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    EXPORTED = "exported", _("exported")
    PAID = "paid", _("paid")
    CANCELLED = "cancelled", _("cancelled")


class BatchEvent(models.TextChoices):
    EXPORT = "export", _("export for the bank")
    PAY = "pay", _("mark paid")
    CANCEL = "cancel", _("cancel")


# A payout batch: chosen (draft), its file downloaded for the bank (exported; it may be
# downloaded again), then marked paid once the bank made the transfers, or cancelled (the
# file was never sent, or the bank refused it) which frees its withdrawals.
BATCH_TRANSITIONS: dict[tuple[str, str], str] = {
    (BatchStatus.DRAFT, BatchEvent.EXPORT): BatchStatus.EXPORTED,
    (BatchStatus.EXPORTED, BatchEvent.PAY): BatchStatus.PAID,
    (BatchStatus.DRAFT, BatchEvent.CANCEL): BatchStatus.CANCELLED,
    (BatchStatus.EXPORTED, BatchEvent.CANCEL): BatchStatus.CANCELLED,
}

# Batches that still hold their withdrawals: nobody else may pay, reject, cancel or batch them.
OPEN_BATCH = [BatchStatus.DRAFT, BatchStatus.EXPORTED]


def next_batch_status(status: str, event: str) -> BatchStatus:
    """The batch's status after `event`, or IllegalTransition naming both."""
    try:
        return BatchStatus(BATCH_TRANSITIONS[(status, event)])
    except KeyError:
        raise IllegalTransition(
            str(_("A payout batch that is %(status)s cannot %(event)s."))
            % {"status": BatchStatus(status).label, "event": BatchEvent(event).label},
        ) from None
