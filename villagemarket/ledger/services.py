"""The ledger's use-cases: one posting per business event (DESIGN.md, "Money").

Each is one `transaction.atomic()` and may run inside the caller's transaction, so the posting
commits or rolls back with the event that caused it. Each event posts at most once: posting the
same (event, reference) again returns the first transaction, also when two posts race (the
unique constraint decides; the loser reads the winner's row).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.signals import post_migrate
from django.utils.translation import gettext as _

from villagemarket.core.errors import Conflict, Invalid
from villagemarket.core.money import BASE_CURRENCY, Money
from villagemarket.ledger import rules
from villagemarket.ledger.models import (
    Account,
    AccountKind,
    Entry,
    EventType,
    LedgerTransaction,
)


class UnbalancedTransaction(ValueError):
    """A posting whose debits and credits differ: a bug in the caller, never user input."""


class InsufficientBalance(Conflict):
    code = "insufficient_balance"


@dataclass(frozen=True)
class Leg:
    """One side of a posting: a signed amount (debit positive) on an account."""

    account: Account
    amount: Money


def debit(account: Account, amount: Money) -> Leg:
    """A leg that debits `account` (stored as a positive amount)."""
    return Leg(account, amount)


def credit(account: Account, amount: Money) -> Leg:
    """A leg that credits `account` (stored as a negative amount)."""
    return Leg(account, -amount)


# --- accounts -----------------------------------------------------------------------------


def _account(kind: str, currency: str, *, provider: str = "", shop_id=None, household_id=None):
    key = ":".join(
        [kind, currency]
        + ([provider] if provider else [])
        + ([f"shop={shop_id}"] if shop_id else [])
        + ([f"household={household_id}"] if household_id else [])
    )
    known = _known_accounts.get(key)
    if known is not None:
        return copy.copy(known)
    account, _created = Account.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "currency": currency,
            "provider": provider,
            "shop_id": shop_id,
            "household_id": household_id,
        },
    )
    transaction.on_commit(functools.partial(_remember_account, copy.copy(account)))
    return account


# Account lookup cache (per process). An account is never deleted and its key names the same row
# for good, so once a process has seen an account committed it need not look it up again: every
# posting saves a query per account (the payment notification, two). Only committed rows are
# remembered (on commit, and not while a transaction is still open, as in a test that rolls
# back), and flushing the database (post_migrate, as tests do) forgets them all, so the cache
# never names a row that does not exist. Nothing else is cached: balances are always read.
_known_accounts: dict[str, Account] = {}


def _remember_account(account: Account) -> None:
    if not transaction.get_connection().in_atomic_block:
        _known_accounts[account.key] = account


def _forget_accounts(**kwargs) -> None:
    _known_accounts.clear()


post_migrate.connect(_forget_accounts, dispatch_uid="ledger-forget-known-accounts")


def gateway_clearing(provider: str, currency: str = BASE_CURRENCY) -> Account:
    """Money a payment provider holds for the platform (captured, not yet in the bank)."""
    if not provider:
        raise ValueError("a gateway clearing account belongs to a provider")
    return _account(AccountKind.GATEWAY_CLEARING, currency, provider=provider)


def escrow(currency: str = BASE_CURRENCY) -> Account:
    """Buyers' money held until their orders complete or are refunded."""
    return _account(AccountKind.ESCROW, currency)


def seller_payable(shop_id: int, household_id: int | None = None, currency=BASE_CURRENCY):
    """What the platform owes a shop, or one household of a service point."""
    if household_id is not None:
        from villagemarket.shops.models import Household

        if not Household.objects.filter(pk=household_id, shop_id=shop_id).exists():
            raise Invalid(
                _("That household does not sell for this shop."),
                fields={"household": [_("Not a household of this shop.")]},
            )
    return _account(
        AccountKind.SELLER_PAYABLE, currency, shop_id=shop_id, household_id=household_id
    )


def commission_revenue(currency: str = BASE_CURRENCY) -> Account:
    """The platform's commission earned, one account per currency."""
    return _account(AccountKind.COMMISSION_REVENUE, currency)


def bank(currency: str = BASE_CURRENCY) -> Account:
    """The platform's bank account that payouts leave from, one per currency."""
    return _account(AccountKind.BANK, currency)


def rounding(currency: str = BASE_CURRENCY) -> Account:
    """Where the fen left over by rounding each household's commission separately go."""
    return _account(AccountKind.ROUNDING, currency)


# --- posting ------------------------------------------------------------------------------


def post(
    event: str,
    reference: str,
    legs: Sequence[Leg],
    *,
    reason: str = "",
    reverses: LedgerTransaction | None = None,
) -> LedgerTransaction:
    """Post one balanced transaction for (event, reference), or return the one already posted.

    Zero legs are dropped. A seller payable that a posting debits is locked first (accounts in
    id order) and may not go below zero unless `reason` says why (a refund after payout, a
    reversal); concurrent payouts therefore cannot overdraw it.
    """
    reference = str(reference)
    if not reference or len(reference) > 64:
        raise ValueError("a posting's reference has 1 to 64 characters")
    legs = [leg for leg in legs if leg.amount.minor]
    if not legs:
        raise UnbalancedTransaction("a posting needs at least one non-zero leg")
    for leg in legs:
        if leg.amount.currency != leg.account.currency:
            raise UnbalancedTransaction(f"{leg.amount.currency} amount on {leg.account.key}")
    unbalanced = rules.unbalanced_currencies(leg.amount for leg in legs)
    if unbalanced:
        raise UnbalancedTransaction(f"{event} {reference} does not balance in {unbalanced}")
    with transaction.atomic():
        guarded = _lock_debited_payables(legs)
        # Looked up after the locks: a concurrent post of this same event that held them has
        # committed by now, and answers here instead of counting as a second debit.
        first = LedgerTransaction.objects.filter(event=event, reference=reference).first()
        if first is not None:
            return first
        _refuse_overdraft(guarded, legs, reason)
        try:
            with transaction.atomic():
                txn = LedgerTransaction.objects.create(
                    event=event, reference=reference, reason=reason, reverses=reverses
                )
                Entry.objects.bulk_create(
                    Entry(
                        transaction=txn,
                        account=leg.account,
                        amount_minor=leg.amount.minor,
                        currency=leg.amount.currency,
                    )
                    for leg in legs
                )
        except IntegrityError:
            # A concurrent post of the same event committed first: answer with its transaction.
            first = LedgerTransaction.objects.filter(event=event, reference=reference).first()
            if first is None:
                raise
            return first
        return txn


def _lock_debited_payables(legs: Sequence[Leg]) -> dict[int, Account]:
    """Lock the seller payables a posting debits, in id order (so two postings never wait on
    each other crosswise), before their balances are read: a concurrent debit waits here."""
    debited = {
        leg.account.pk: leg.account
        for leg in legs
        if leg.account.kind == AccountKind.SELLER_PAYABLE and leg.amount.minor > 0
    }
    if debited:
        list(Account.objects.select_for_update().filter(pk__in=debited).order_by("pk"))
    return debited


def _refuse_overdraft(debited: dict[int, Account], legs: Sequence[Leg], reason: str) -> None:
    change: dict[int, int] = {}
    for leg in legs:
        if leg.account.pk in debited:
            change[leg.account.pk] = change.get(leg.account.pk, 0) + leg.amount.minor
    for pk, account in sorted(debited.items()):
        before = signed_sum(account)
        if account.shown(before + change[pk]).minor < 0 and not reason:
            raise InsufficientBalance(
                _("Only %(available)s is available.") % {"available": account.shown(before)},
                fields={"amount": [_("More than the available balance.")]},
            )


def signed_sum(account: Account) -> int:
    """The sum of an account's entries (debits positive), from the balance index."""
    return Entry.objects.filter(account=account).aggregate(s=Sum("amount_minor"))["s"] or 0


def balance(account: Account) -> Money:
    """An account's balance as an accountant reads it (positive when it holds money)."""
    return account.shown(signed_sum(account))


# --- the business events ------------------------------------------------------------------


def record_payment_captured(*, reference: str, provider: str, amount: Money) -> LedgerTransaction:
    """A provider captured a buyer's payment: the money is in escrow until the orders settle."""
    _positive(amount)
    return post(
        EventType.PAYMENT_CAPTURED,
        reference,
        [
            debit(gateway_clearing(provider, amount.currency), amount),
            credit(escrow(amount.currency), amount),
        ],
    )


@dataclass(frozen=True)
class OrderLine:
    """What the caller knows of a settled order's line: its goods amount, category and the
    household that sold it (None for a shop without households)."""

    amount: Money
    category_id: int | None = None
    household_id: int | None = None


def settle_order(
    *, reference: str, shop_id: int, lines: Iterable[OrderLine], freight: Money
) -> LedgerTransaction:
    """A shop order completed: its amount leaves escrow for the seller (per household, net of
    commission), the platform's commission revenue and the rounding account."""
    from villagemarket.ledger.selectors import category_rates
    from villagemarket.shops.models import Shop

    lines = list(lines)
    if not lines:
        raise ValueError("a settled order has at least one line")
    currency = freight.currency
    with transaction.atomic():
        first = LedgerTransaction.objects.filter(
            event=EventType.ORDER_SETTLED, reference=str(reference)
        ).first()
        if first is not None:
            return first
        shop_bp = Shop.objects.values_list("commission_bp", flat=True).get(pk=shop_id)
        rates = category_rates({line.category_id for line in lines if line.category_id})
        split = rules.split_settlement(
            [
                rules.SettlementLine(
                    amount=line.amount,
                    rate_bp=rules.effective_rate_bp(rates.get(line.category_id), shop_bp),
                    household_id=line.household_id,
                )
                for line in lines
            ],
            freight,
        )
        legs = [debit(escrow(currency), split.gross)]
        for household_id, earned in split.payables.items():
            legs.append(credit(seller_payable(shop_id, household_id, currency), earned))
        legs.append(credit(commission_revenue(currency), split.commission))
        legs.append(credit(rounding(currency), split.rounding))
        return post(EventType.ORDER_SETTLED, reference, legs)


def refund_before_settlement(*, reference: str, provider: str, amount: Money) -> LedgerTransaction:
    """A refund of an order not yet settled: escrow gives the money back through the provider."""
    _positive(amount)
    return post(
        EventType.REFUND_BEFORE_SETTLEMENT,
        reference,
        [
            debit(escrow(amount.currency), amount),
            credit(gateway_clearing(provider, amount.currency), amount),
        ],
    )


def refund_after_settlement(
    *,
    reference: str,
    provider: str,
    shop_id: int,
    amount: Money,
    household_id: int | None = None,
    commission_returned: Money | None = None,
    household_parts: Mapping[int | None, Money] | None = None,
    reason: str = "",
) -> LedgerTransaction:
    """A refund of a settled order: the seller's payable (and the platform's commission, for
    the part it gives back) pays it through the provider. A service point's order gives back
    from each household's payable its part (`household_parts`: the refund less the commission
    returned, to within the fen settlement's rounding kept; a part below zero credits that
    household); otherwise `household_id`'s payable gives it all. A payable may go below zero
    only with a `reason` (the seller was already paid out)."""
    _positive(amount)
    returned = commission_returned or Money.zero(amount.currency)
    if returned.minor < 0 or returned > amount:
        raise ValueError("the commission returned is between zero and the refund")
    parts = dict(household_parts) if household_parts else {household_id: amount - returned}
    # Settlement rounded each household's commission on its own and sent the fen left over to
    # the rounding account; what the households' parts leave of the seller's side goes back there.
    left_over = Money(
        (amount - returned).minor - sum(p.minor for p in parts.values()), amount.currency
    )
    if abs(left_over.minor) > len(parts):
        raise ValueError("the households' parts add up to the refund less the commission")
    payables = [  # a negative part debited is a credit
        debit(seller_payable(shop_id, household, amount.currency), part)
        for household, part in sorted(parts.items(), key=lambda item: item[0] or 0)
    ]
    return post(
        EventType.REFUND_AFTER_SETTLEMENT,
        reference,
        [
            *payables,
            debit(rounding(amount.currency), left_over),
            debit(commission_revenue(amount.currency), returned),
            credit(gateway_clearing(provider, amount.currency), amount),
        ],
        reason=reason,
    )


def record_payout(
    *, reference: str, shop_id: int, amount: Money, household_id: int | None = None
) -> LedgerTransaction:
    """Money paid from the platform's bank to a seller (or a household). Never more than the
    payable holds, even when payouts race."""
    _positive(amount)
    return post(
        EventType.PAYOUT,
        reference,
        [
            debit(seller_payable(shop_id, household_id, amount.currency), amount),
            credit(bank(amount.currency), amount),
        ],
    )


def reverse(original: LedgerTransaction, *, reason: str) -> LedgerTransaction:
    """Undo a transaction with a new one that mirrors its entries; the original stays as it
    was. A transaction is reversed at most once; the reason is kept with the reversal."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            _("Say why the transaction is reversed."),
            fields={"reason": [_("This field is required.")]},
        )
    with transaction.atomic():
        legs = [
            Leg(entry.account, -entry.money)
            for entry in original.entries.select_related("account").order_by("id")
        ]
        return post(EventType.REVERSAL, str(original.pk), legs, reason=reason, reverses=original)


def _positive(amount: Money) -> None:
    if amount.minor <= 0:
        raise Invalid(
            _("The amount must be more than zero."),
            fields={"amount": [_("The amount must be more than zero.")]},
        )
