"""The ledger's invariants (DESIGN.md, "Money") as one checker: tests call it after every step,
and the reconciliation report lists what it finds.

`find_violations()` returns a list of plain sentences, empty when the ledger is sound.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Sum

from villagemarket.core.money import Money
from villagemarket.ledger.models import Account, AccountKind, Entry


@dataclass(frozen=True)
class EscrowFacts:
    """What the rest of the system says about one currency's escrow: captured payments, refunds
    paid out of escrow (before settlement), and the gross amount of settled orders."""

    captured: Money
    refunded: Money
    settled: Money

    @property
    def expected(self) -> Money:
        return self.captured - self.refunded - self.settled


def find_violations(escrow: Iterable[EscrowFacts] = ()) -> list[str]:
    """Every broken invariant, as sentences: all accounts sum to zero per currency; each
    transaction balances per currency; entries are in their account's currency; escrow holds
    what the caller's facts say it should; no seller payable went below zero in a transaction
    that did not record why."""
    problems: list[str] = []
    for row in Entry.objects.values("currency").annotate(total=Sum("amount_minor")):
        if row["total"]:
            problems.append(f"accounts in {row['currency']} sum to {row['total']}, not zero")
    unbalanced = (
        Entry.objects.values("transaction_id", "currency")
        .annotate(total=Sum("amount_minor"))
        .exclude(total=0)
        .order_by("transaction_id")
    )
    for row in unbalanced:
        problems.append(
            f"transaction {row['transaction_id']} is off by {row['total']} {row['currency']}"
        )
    for entry_id in Entry.objects.exclude(currency=F("account__currency")).values_list(
        "id", flat=True
    ):
        problems.append(f"entry {entry_id} is not in its account's currency")
    for facts in escrow:
        problems += _escrow_problems(facts)
    problems += _overdrawn_payables()
    return problems


def _escrow_problems(facts: EscrowFacts) -> list[str]:
    currency = facts.expected.currency
    held = -(
        Entry.objects.filter(
            account__kind=AccountKind.ESCROW, account__currency=currency
        ).aggregate(total=Sum("amount_minor"))["total"]
        or 0
    )
    if held != facts.expected.minor:
        return [f"escrow holds {Money(held, currency)}, the orders say {facts.expected}"]
    return []


def _overdrawn_payables() -> list[str]:
    """Walk each seller payable that is or was below zero, in posting order, and name every
    transaction that took it below zero without a reason."""
    problems = []
    ever_debited = (
        Entry.objects.filter(account__kind=AccountKind.SELLER_PAYABLE, amount_minor__gt=0)
        .values_list("account_id", flat=True)
        .distinct()
    )
    for account in Account.objects.filter(pk__in=ever_debited).order_by("pk"):
        running = 0
        rows = account.entries.order_by("id").values_list(
            "amount_minor", "transaction_id", "transaction__reason"
        )
        for amount, transaction_id, reason in rows:
            running -= amount  # a payable is credit-normal: credits raise what is owed
            if running < 0 and amount > 0 and not reason:
                problems.append(
                    f"{account.key} went to {Money(running, account.currency)} in transaction "
                    f"{transaction_id} without a recorded reason"
                )
    return problems


def assert_sound(escrow: Iterable[EscrowFacts] = ()) -> None:
    """Raise AssertionError listing every violation (for tests)."""
    problems = find_violations(escrow)
    if problems:
        raise AssertionError("ledger invariants broken:\n" + "\n".join(problems))
