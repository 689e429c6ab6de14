"""Sellers' withdrawal requests: ask, cancel, and an operator pays (posting the payout) or rejects.

What a seller may still ask for is its payable's balance less its requests not yet decided.
Asking locks the payable's account row first (as every posting that debits it does), so
concurrent requests, and a request racing a payout, queue there: nobody can ask for more than
is available, however many requests arrive at once.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Now
from django.utils.translation import gettext as _

from villagemarket.core.errors import Conflict, Invalid, NotFound
from villagemarket.core.money import Money

from . import rules, services
from .models import Account, AccountKind, Entry, PayoutLine, Withdrawal
from .states import OPEN_BATCH, PENDING, WithdrawalEvent, next_status


def withdrawable(shop_id: int, household_id: int | None, currency: str = "CNY") -> Money:
    """The payable's balance less the withdrawals still waiting for an operator (a read: it
    opens no account)."""
    owed = -(
        Entry.objects.filter(
            account__kind=AccountKind.SELLER_PAYABLE,
            account__shop_id=shop_id,
            account__household_id=household_id,
            account__currency=currency,
        ).aggregate(total=Sum("amount_minor"))["total"]
        or 0
    )
    pending = (
        Withdrawal.objects.filter(
            shop_id=shop_id, household_id=household_id, currency=currency, status__in=PENDING
        ).aggregate(total=Sum("amount_minor"))["total"]
        or 0
    )
    return Money(owed - pending, currency)


def request_withdrawal(*, user, shop, amount: Money, household_id: int | None = None) -> Withdrawal:
    """The shop (or one household of a service point) asks to be paid `amount`."""
    minimum = Money(rules.MIN_WITHDRAWAL_MINOR, amount.currency)
    if amount < minimum:
        raise Invalid(
            _("The smallest withdrawal is %(minimum)s.") % {"minimum": minimum},
            fields={"amount": [_("At least %(minimum)s.") % {"minimum": minimum}]},
        )
    with transaction.atomic():
        account = services.seller_payable(shop.pk, household_id, amount.currency)
        Account.objects.select_for_update().filter(pk=account.pk).first()
        available = withdrawable(shop.pk, household_id, amount.currency)
        if amount > available:
            raise services.InsufficientBalance(
                _("Only %(available)s is available.") % {"available": available},
                fields={"amount": [_("More than the available balance.")]},
            )
        return Withdrawal.objects.create(
            shop=shop,
            household_id=household_id,
            amount_minor=amount.minor,
            currency=amount.currency,
            requested_by=user,
        )


def _move(candidates, withdrawal_id: int, event: str, *, batch_id=None, **changes) -> Withdrawal:
    """Guarded status change of one of `candidates`; NotFound when it is not one of them,
    IllegalTransition when its status does not allow `event` (or moved meanwhile).

    The row is locked first, as `payouts.create_batch` locks it, so a request cannot be
    cancelled, rejected or paid alone while a batch takes it: one waits for the other. A
    request held by an open payout batch moves only through that batch (`batch_id`)."""
    withdrawal = candidates.select_for_update().filter(pk=withdrawal_id).first()
    if withdrawal is None:
        raise NotFound(_("No such withdrawal."))
    holder = (
        PayoutLine.objects.filter(
            withdrawal_id=withdrawal.pk, active=True, batch__status__in=OPEN_BATCH
        )
        .values_list("batch_id", flat=True)
        .first()
    )
    if holder != batch_id:
        if holder is None:
            raise Conflict(_("This withdrawal is not in that payout batch."), code="not_in_batch")
        raise Conflict(
            _(
                "Withdrawal #%(id)s is in payout batch #%(batch)s: remove it from the batch "
                "(or cancel the batch) first."
            )
            % {"id": withdrawal.pk, "batch": holder},
            code="in_payout_batch",
        )
    target = next_status(withdrawal.status, event)
    moved = Withdrawal.objects.filter(pk=withdrawal.pk, status=withdrawal.status).update(
        status=target, **changes
    )
    withdrawal.refresh_from_db()
    if not moved:
        next_status(withdrawal.status, event)  # raises: someone else decided first
    return withdrawal


def cancel_withdrawal(*, shop, withdrawal_id: int) -> Withdrawal:
    """The seller takes back a request nobody has paid yet (not one an operator has already
    put in a payout batch: the transfer may be on its way)."""
    with transaction.atomic():
        try:
            return _move(
                Withdrawal.objects.filter(shop=shop), withdrawal_id, WithdrawalEvent.CANCEL
            )
        except Conflict as exc:
            if exc.code != "in_payout_batch":
                raise
            raise Conflict(
                _(
                    "An operator is already paying this withdrawal (payout batch): it can no "
                    "longer be cancelled."
                ),
                code="in_payout_batch",
            ) from exc


def pay_withdrawal(*, operator, withdrawal_id: int, batch_id: int | None = None) -> Withdrawal:
    """An operator has transferred the money: the request is paid and the payout posted
    (reference `withdrawal:<id>`, so it posts once). A request in an open payout batch is paid
    only by that batch (`payouts.mark_batch_paid` passes `batch_id`)."""
    with transaction.atomic():
        withdrawal = _move(
            Withdrawal.objects.all(),
            withdrawal_id,
            WithdrawalEvent.PAY,
            batch_id=batch_id,
            decided_by=operator,
            decided_at=Now(),
        )
        services.record_payout(
            reference=f"withdrawal:{withdrawal.pk}",
            shop_id=withdrawal.shop_id,
            household_id=withdrawal.household_id,
            amount=withdrawal.amount,
        )
        return withdrawal


def reject_withdrawal(*, operator, withdrawal_id: int, reason: str) -> Withdrawal:
    """An operator refuses a request, saying why; the amount is available again."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            _("Say why the withdrawal is rejected."),
            fields={"reason": [_("This field is required.")]},
        )
    with transaction.atomic():
        return _move(
            Withdrawal.objects.all(),
            withdrawal_id,
            WithdrawalEvent.REJECT,
            decided_by=operator,
            decided_at=Now(),
            note=reason[:200],
        )
