"""Reads of the ledger: commission rates, balances (sums of entries) and a shop's history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Sum, When

from villagemarket.core.money import BASE_CURRENCY, Money
from villagemarket.ledger import references
from villagemarket.ledger.models import (
    Account,
    AccountKind,
    CategoryCommission,
    Entry,
    EventType,
    LedgerTransaction,
    PayeeBankAccount,
    PayoutBatch,
    PayoutLine,
    Withdrawal,
)
from villagemarket.ledger.states import OPEN_BATCH, WithdrawalStatus


def category_rates(category_ids: set[int]) -> dict[int, int | None]:
    """Each category's commission rate in basis points: its own, else the nearest category
    above it with one, else None (the platform default applies). Two queries."""
    from villagemarket.catalog.models import Category

    if not category_ids:
        return {}
    parents = dict(Category.objects.values_list("id", "parent_id"))
    own = dict(CategoryCommission.objects.values_list("category_id", "rate_bp"))
    rates: dict[int, int | None] = {}
    for category_id in category_ids:
        node, seen = category_id, set()
        while node is not None and node not in own and node not in seen:
            seen.add(node)
            node = parents.get(node)
        rates[category_id] = own.get(node) if node is not None else None
    return rates


def payable_accounts(shop_id: int, currency: str = BASE_CURRENCY) -> QuerySet[Account]:
    """A shop's seller payable accounts: its own and one per household that has earned."""
    return Account.objects.filter(
        kind=AccountKind.SELLER_PAYABLE, shop_id=shop_id, currency=currency
    ).select_related("household")


@dataclass(frozen=True)
class HouseholdBalance:
    household_id: int | None
    name: str
    available: Money


@dataclass(frozen=True)
class ShopBalance:
    """What the platform owes a shop now (`available`) and has paid it (`paid_out`), in total
    and per household of a service point (the shop's own part has household None)."""

    available: Money
    paid_out: Money
    households: list[HouseholdBalance] = field(default_factory=list)


def shop_balance(shop_id: int, currency: str = BASE_CURRENCY) -> ShopBalance:
    """Sums of entries on the shop's payables, in two grouped queries."""
    sums = dict(
        Entry.objects.filter(
            account__kind=AccountKind.SELLER_PAYABLE,
            account__shop_id=shop_id,
            account__currency=currency,
        )
        .values_list("account_id")
        .annotate(total=Sum("amount_minor"))
    )
    parts = []
    for account in payable_accounts(shop_id, currency).order_by("household_id", "id"):
        parts.append(
            HouseholdBalance(
                household_id=account.household_id,
                name=account.household.name if account.household else "",
                available=account.shown(sums.get(account.pk, 0)),
            )
        )
    # Payouts debit the payable; reversing a payout credits it back.
    paid = (
        Entry.objects.filter(
            account__kind=AccountKind.SELLER_PAYABLE,
            account__shop_id=shop_id,
            account__currency=currency,
        )
        .filter(
            Q(transaction__event=EventType.PAYOUT)
            | Q(
                transaction__event=EventType.REVERSAL,
                transaction__reverses__event=EventType.PAYOUT,
            )
        )
        .aggregate(total=Sum("amount_minor"))["total"]
        or 0
    )
    available = Money(-sum(sums.values()), currency)
    return ShopBalance(available=available, paid_out=Money(paid, currency), households=parts)


def shop_entries(shop_id: int) -> QuerySet[Entry]:
    """The entries on a shop's payables, newest first, with what the page and API show."""
    return (
        Entry.objects.filter(account__kind=AccountKind.SELLER_PAYABLE, account__shop_id=shop_id)
        .select_related("transaction__reverses", "account__household")
        .order_by("-id")
    )


class DescribedEntries:
    """A shop's history for a paginator (the page's and the API's): a slice of it is a list of
    entries each carrying `.described` (references.Described: words, and the order it is
    about), worked out for the whole slice at once."""

    def __init__(self, entries: QuerySet[Entry]) -> None:
        self.entries = entries

    def count(self) -> int:
        return self.entries.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        rows = self.entries[index]
        if not isinstance(index, slice):
            rows = [rows]
        rows = list(rows)
        described = references.describe_entries(rows)
        for entry in rows:
            entry.described = described[entry.pk]
        return rows if isinstance(index, slice) else rows[0]


def shop_history(shop_id: int) -> DescribedEntries:
    """A shop's history entries, newest first, each described in words when read."""
    return DescribedEntries(shop_entries(shop_id))


# How much of a shop's sales is paid but not yet settled. The ledger keeps one escrow account
# per currency, so only the orders app can tell which shop it is for: it registers this in its
# AppConfig.ready() (a lower app offers a hook instead of importing a higher one).
_held_in_escrow: Callable[[int, str], Money] | None = None


def register_held_in_escrow(source: Callable[[int, str], Money]) -> None:
    """Orders tells the ledger how to sum a shop's paid, unsettled orders."""
    global _held_in_escrow
    _held_in_escrow = source


def held_in_escrow(shop_id: int, currency: str = BASE_CURRENCY) -> Money | None:
    """A shop's money still in escrow (paid orders not yet settled); None when unknown."""
    return _held_in_escrow(shop_id, currency) if _held_in_escrow else None


def is_posted(event: str, reference: str) -> bool:
    """Whether the business event (event type, reference) has been posted."""
    return LedgerTransaction.objects.filter(event=event, reference=reference).exists()


def settlement_split(reference: str, currency: str) -> tuple[Money, Money]:
    """What an order's settlement (ORDER_SETTLED, `reference`) moved out of escrow, and the
    commission the platform kept of it; both zero when the order is not settled."""
    entries = Entry.objects.filter(
        transaction__event=EventType.ORDER_SETTLED,
        transaction__reference=reference,
        currency=currency,
    )
    settled = entries.filter(account__kind=AccountKind.ESCROW).aggregate(s=Sum("amount_minor"))
    kept = entries.filter(account__kind=AccountKind.COMMISSION_REVENUE).aggregate(
        s=Sum("amount_minor")
    )
    return Money(settled["s"] or 0, currency), Money(-(kept["s"] or 0), currency)


def withdrawals_to_batch() -> QuerySet[Withdrawal]:
    """Requests an operator may put in a payout batch (requested, in no open batch), oldest
    first, each with `has_bank_account` (whether its payee has one on file)."""
    in_open_batch = PayoutLine.objects.filter(
        withdrawal=OuterRef("pk"), active=True, batch__status__in=OPEN_BATCH
    )
    bank = PayeeBankAccount.objects.filter(
        shop=OuterRef("shop_id"), household=OuterRef("household_id")
    )
    own_bank = PayeeBankAccount.objects.filter(shop=OuterRef("shop_id"), household__isnull=True)
    return (
        Withdrawal.objects.filter(status=WithdrawalStatus.REQUESTED)
        .exclude(Exists(in_open_batch))
        .annotate(
            has_bank_account=Case(
                When(household__isnull=True, then=Exists(own_bank)),
                default=Exists(bank),
            )
        )
        .select_related("shop", "household")
        .order_by("created_at", "id")
    )


def payout_batches() -> QuerySet[PayoutBatch]:
    """Payout batches, newest first, with who made them."""
    return PayoutBatch.objects.select_related("created_by", "decided_by").order_by("-id")


def batch_lines(batch_id: int) -> QuerySet[PayoutLine]:
    """A batch's withdrawals (active lines), in withdrawal order, with their shop and household."""
    return (
        PayoutLine.objects.filter(batch_id=batch_id, active=True)
        .select_related("withdrawal__shop", "withdrawal__household")
        .order_by("withdrawal_id")
    )


def shop_withdrawals(shop_id: int) -> QuerySet[Withdrawal]:
    """A shop's withdrawal requests, newest first, each with `in_batch` (an operator has put
    it in an open payout batch: it is being paid and can no longer be cancelled)."""
    return (
        Withdrawal.objects.filter(shop_id=shop_id)
        .annotate(
            in_batch=Exists(
                PayoutLine.objects.filter(
                    withdrawal=OuterRef("pk"), active=True, batch__status__in=OPEN_BATCH
                )
            )
        )
        .select_related("household")
    )
