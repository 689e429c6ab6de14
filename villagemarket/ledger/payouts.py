"""Payout batches: an operator pays many sellers with one bank file.

1. `create_batch` takes withdrawal requests that are still `requested` and in no open batch,
   and copies each payee's bank account onto its line (the file shows what was chosen).
2. `export_batch_csv` writes the bank-transfer file (the batch becomes `exported`; it may be
   downloaded again, byte for byte the same).
3. `mark_batch_paid`, once the bank has made the transfers, pays every withdrawal through
   `withdrawals.pay_withdrawal` (one payout posting each, reference `withdrawal:<id>`), all in
   one transaction: all are paid or none.
`remove_from_batch` (draft only) and `cancel_batch` (draft or exported) give requests back.

Every use-case locks its rows first (the batch, or the withdrawals in id order), so two
operators acting at once queue: a request lands in one batch, a batch is paid once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils.translation import gettext as _

from villagemarket.accounts.permissions import require_operator
from villagemarket.core.errors import Conflict, DomainError, Invalid, NotFound
from villagemarket.core.exports import csv_bytes
from villagemarket.core.money import Money

from . import withdrawals
from .models import PayeeBankAccount, PayoutBatch, PayoutLine, Withdrawal
from .states import OPEN_BATCH, BatchEvent, BatchStatus, WithdrawalStatus, next_batch_status

# The bank file's columns. Fixed English names whatever the operator's language: banks' import
# templates are matched by column, and a file must read the same whoever downloaded it.
CSV_HEADER = [
    "batch_id",
    "withdrawal_id",
    "payee_name",
    "bank_name",
    "bank_branch",
    "account_number",
    "amount",
    "currency",
    "memo",
]

ACCOUNT_NUMBER = re.compile(r"^[0-9]{8,30}$")


class BatchRefused(Conflict):
    """Some chosen withdrawals cannot be batched; `fields["withdrawals"]` says which and why."""

    code = "withdrawals_refused"


def clean_account_number(text: str) -> str:
    """The account number as the bank wants it: digits only (spaces people type are dropped),
    8 to 30 of them; Invalid naming `account_number` otherwise."""
    number = re.sub(r"\s", "", text or "")
    if not ACCOUNT_NUMBER.match(number):
        raise Invalid(
            _("Enter the account number: 8 to 30 digits."),
            fields={"account_number": [_("Enter the account number: 8 to 30 digits.")]},
        )
    return number


def set_bank_account(
    *,
    operator,
    shop,
    holder_name: str,
    bank_name: str,
    account_number: str,
    branch: str = "",
    household_id: int | None = None,
) -> PayeeBankAccount:
    """An operator records where a shop (or one household of a service point) is paid.
    Spaces in the account number are dropped; it must be 8 to 30 digits."""
    require_operator(operator)
    errors = {}
    try:
        number = clean_account_number(account_number)
    except Invalid as exc:
        number, errors = "", dict(exc.fields)
    for field, value in (("holder_name", holder_name), ("bank_name", bank_name)):
        if not (value or "").strip():
            errors[field] = [_("This field is required.")]
    if household_id is not None and not shop.households.filter(pk=household_id).exists():
        errors["household"] = [_("Not a household of this shop.")]
    if errors:
        raise Invalid(_("The bank account has invalid fields."), fields=errors)
    with transaction.atomic():
        account, _created = PayeeBankAccount.objects.update_or_create(
            shop=shop,
            household_id=household_id,
            defaults={
                "holder_name": holder_name.strip(),
                "bank_name": bank_name.strip(),
                "branch": (branch or "").strip(),
                "account_number": number,
            },
        )
        return account


def _bank_accounts(rows: Iterable[Withdrawal]) -> dict:
    pairs = {(w.shop_id, w.household_id) for w in rows}
    shops = {shop_id for shop_id, _household in pairs}
    return {
        (account.shop_id, account.household_id): account
        for account in PayeeBankAccount.objects.filter(shop_id__in=shops)
    }


def create_batch(operator, withdrawal_ids: Iterable[int]) -> PayoutBatch:
    """An operator puts requested withdrawals into a new draft batch. All or nothing: when any
    is refused (unknown, no longer requested, already in an open batch, no bank account, another
    currency) nothing is made and BatchRefused names each one and why."""
    require_operator(operator)
    ids = sorted({int(pk) for pk in withdrawal_ids})
    if not ids:
        raise Invalid(
            _("Choose at least one withdrawal."),
            fields={"withdrawals": [_("Choose at least one withdrawal.")]},
        )
    with transaction.atomic():
        # Locked in id order, like every path that moves a withdrawal (withdrawals._move).
        rows = {w.pk: w for w in Withdrawal.objects.select_for_update().filter(pk__in=ids)}
        held = dict(
            PayoutLine.objects.filter(
                withdrawal_id__in=ids, active=True, batch__status__in=OPEN_BATCH
            ).values_list("withdrawal_id", "batch_id")
        )
        accounts = _bank_accounts(rows.values())
        currency = rows[ids[0]].currency if ids[0] in rows else "CNY"
        refused = []
        for pk in ids:
            withdrawal = rows.get(pk)
            if withdrawal is None:
                refused.append(_("#%(id)s: no such withdrawal.") % {"id": pk})
            elif withdrawal.status != WithdrawalStatus.REQUESTED:
                refused.append(
                    _("#%(id)s: it is %(status)s.")
                    % {"id": pk, "status": withdrawal.get_status_display()}
                )
            elif pk in held:
                refused.append(
                    _("#%(id)s: already in payout batch #%(batch)s.")
                    % {"id": pk, "batch": held[pk]}
                )
            elif (withdrawal.shop_id, withdrawal.household_id) not in accounts:
                refused.append(_("#%(id)s: the payee has no bank account on file.") % {"id": pk})
            elif withdrawal.currency != currency:
                refused.append(
                    _("#%(id)s: in %(currency)s, the batch is in %(batch_currency)s.")
                    % {"id": pk, "currency": withdrawal.currency, "batch_currency": currency}
                )
        if refused:
            raise BatchRefused(
                _("Nothing was batched: %(reasons)s") % {"reasons": " ".join(refused)},
                fields={"withdrawals": refused},
            )
        batch = PayoutBatch.objects.create(
            created_by=operator,
            currency=currency,
            total_minor=sum(rows[pk].amount_minor for pk in ids),
            count=len(ids),
        )
        lines = []
        for pk in ids:
            account = accounts[(rows[pk].shop_id, rows[pk].household_id)]
            lines.append(
                PayoutLine(
                    batch=batch,
                    withdrawal_id=pk,
                    holder_name=account.holder_name,
                    bank_name=account.bank_name,
                    branch=account.branch,
                    account_number=account.account_number,
                )
            )
        try:
            with transaction.atomic():
                PayoutLine.objects.bulk_create(lines)
        except IntegrityError:
            # The unique index is the backstop if a path ever skips the row locks above.
            raise BatchRefused(
                _("Another operator batched some of these withdrawals just now."),
                fields={"withdrawals": [_("Already in another payout batch.")]},
            ) from None
        return batch


def _locked_batch(batch_id: int) -> PayoutBatch:
    batch = PayoutBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(_("No such payout batch."))
    return batch


def _move_batch(batch: PayoutBatch, event: str, **changes) -> PayoutBatch:
    target = next_batch_status(batch.status, event)
    PayoutBatch.objects.filter(pk=batch.pk, status=batch.status).update(status=target, **changes)
    batch.refresh_from_db()
    return batch


def batch_rows(batch: PayoutBatch) -> list[list]:
    """The bank file's rows, one per withdrawal in the batch, in withdrawal order."""
    rows = []
    for line in batch.lines.filter(active=True).select_related("withdrawal"):
        withdrawal = line.withdrawal
        rows.append(
            [
                batch.pk,
                withdrawal.pk,
                line.holder_name,
                line.bank_name,
                line.branch,
                line.account_number,
                Money(withdrawal.amount_minor, withdrawal.currency),
                withdrawal.currency,
                f"VillageMarket payout W{withdrawal.pk} B{batch.pk}",
            ]
        )
    return rows


def export_batch_csv(batch: PayoutBatch) -> bytes:
    """The bank-transfer file of a batch (UTF-8 CSV, every cell spreadsheet-safe). A draft
    becomes `exported`; an exported or paid batch is written again unchanged; a cancelled one
    is refused (its requests may be in another batch by now)."""
    with transaction.atomic():
        batch = _locked_batch(batch.pk)
        if batch.status == BatchStatus.CANCELLED:
            raise Conflict(
                _("Payout batch #%(id)s was cancelled: it has no file.") % {"id": batch.pk},
                code="illegal_transition",
            )
        if batch.status == BatchStatus.DRAFT:
            batch = _move_batch(batch, BatchEvent.EXPORT, exported_at=Now())
        return csv_bytes(CSV_HEADER, batch_rows(batch))


def mark_batch_paid(operator, batch_id: int) -> PayoutBatch:
    """The bank made the batch's transfers: each withdrawal is paid and its payout posted, all
    in one transaction. When one cannot be paid (say a refund took the seller's balance below
    it), nothing is paid and the error names it. A batch is marked paid once: a second call,
    or one racing the first, is IllegalTransition (409) and posts nothing."""
    require_operator(operator)
    with transaction.atomic():
        batch = _locked_batch(batch_id)
        next_batch_status(batch.status, BatchEvent.PAY)  # refuse before touching any request
        for withdrawal_id in batch.lines.filter(active=True).values_list(
            "withdrawal_id", flat=True
        ):
            try:
                withdrawals.pay_withdrawal(
                    operator=operator, withdrawal_id=withdrawal_id, batch_id=batch.pk
                )
            except DomainError as exc:
                raise Conflict(
                    _("Nothing was paid: withdrawal #%(id)s: %(reason)s")
                    % {"id": withdrawal_id, "reason": exc.message},
                    code=exc.code,
                    fields={"withdrawals": [f"#{withdrawal_id}: {exc.message}"]},
                ) from exc
        return _move_batch(batch, BatchEvent.PAY, decided_by=operator, decided_at=Now())


def remove_from_batch(operator, batch_id: int, withdrawal_id: int) -> PayoutBatch:
    """Take one request out of a draft batch (it can be batched again). An exported batch's
    file may already be at the bank: cancel the whole batch instead."""
    require_operator(operator)
    with transaction.atomic():
        batch = _locked_batch(batch_id)
        if batch.status != BatchStatus.DRAFT:
            raise Conflict(
                _(
                    "Only a draft batch can lose a withdrawal; this one is %(status)s "
                    "(its file may be at the bank: cancel the batch instead)."
                )
                % {"status": batch.get_status_display()},
                code="illegal_transition",
            )
        line = batch.lines.filter(withdrawal_id=withdrawal_id, active=True).first()
        if line is None:
            raise NotFound(_("That withdrawal is not in this batch."))
        amount = line.withdrawal.amount_minor
        line.delete()
        PayoutBatch.objects.filter(pk=batch.pk).update(
            total_minor=F("total_minor") - amount, count=F("count") - 1
        )
        batch.refresh_from_db()
        return batch


def cancel_batch(operator, batch_id: int) -> PayoutBatch:
    """Give up a draft or exported batch (the file was not sent, or the bank refused it): its
    requests are free to be batched, paid or rejected again. A paid batch cannot be cancelled."""
    require_operator(operator)
    with transaction.atomic():
        batch = _move_batch(
            _locked_batch(batch_id), BatchEvent.CANCEL, decided_by=operator, decided_at=Now()
        )
        batch.lines.update(active=False)
        return batch
