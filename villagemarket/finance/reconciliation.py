"""The reconciliation report: the ledger against the orders, refunds, withdrawals and the
payment providers' records, and the ledger's own invariants (ledger/invariants.py).

Reads only. Each check loads one side as a dict keyed by the ledger reference the services post
under (a payment's public id, `order:<id>`, `refund:<id>`, `withdrawal:<id>`) and walks the other
side, so a check is a few queries whatever the size. A posting that was reversed counts as not
posted (its amount nets to zero). docs/finance.md says what to do about each kind of mismatch.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from villagemarket.core.money import Money
from villagemarket.ledger.invariants import EscrowFacts, find_violations
from villagemarket.ledger.models import AccountKind, Entry, EventType, Withdrawal
from villagemarket.ledger.states import WithdrawalStatus
from villagemarket.orders.models import RefundRequest, ShopOrder
from villagemarket.orders.refund_states import RefundStatus
from villagemarket.orders.services.settlement import settlement_reference
from villagemarket.orders.states import Status
from villagemarket.payments.models import EventKind, Payment, PaymentEvent

Progress = Callable[[str, int, int], None]
CHUNK = 2000

# The references the services post under (orders/services/refunds.py, ledger/withdrawals.py).
REFUND_PREFIX = "refund:"
PAYOUT_PREFIX = "withdrawal:"
ORDER_PREFIX = settlement_reference(0).removesuffix("0")


@dataclass(frozen=True)
class Mismatch:
    """One disagreement: a stable `kind`, a sentence saying what differs, and what it is about
    (so the report can link to it)."""

    kind: str
    message: str
    order_id: int | None = None
    payment_id: int | None = None
    refund_id: int | None = None
    withdrawal_id: int | None = None
    transaction_id: int | None = None


@dataclass(frozen=True)
class EscrowLine:
    """One currency's escrow: what the payments, refunds and orders say it should hold, and what
    the ledger's escrow account holds."""

    currency: str
    captured: Money
    refunded: Money
    settled: Money
    held: Money

    @property
    def expected(self) -> Money:
        return self.captured - self.refunded - self.settled

    @property
    def agrees(self) -> bool:
        return self.expected == self.held


@dataclass
class Report:
    mismatches: list[Mismatch] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    escrow: list[EscrowLine] = field(default_factory=list)

    @property
    def all_agree(self) -> bool:
        return not self.mismatches

    def add(self, kind: str, message: str, **about) -> None:
        self.mismatches.append(Mismatch(kind, message, **about))


@dataclass
class Posting:
    """The net of one reference's postings (the original and any reversal) on one account kind,
    as the column reads it (positive), with the provider and shop of those accounts."""

    amount: int = 0
    currency: str = ""
    providers: set[str] = field(default_factory=set)
    shops: set[int] = field(default_factory=set)
    event: str = ""
    transaction_id: int | None = None

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency or "CNY")


def postings(events: Iterable[str], kind: str, sign: int) -> dict[str, Posting]:
    """reference -> Posting for `events` on accounts of `kind` (one grouped query). `sign` is
    +1 where the event debits that account, -1 where it credits it."""
    events = list(events)
    rows = (
        Entry.objects.filter(account__kind=kind)
        .filter(
            Q(transaction__event__in=events)
            | Q(transaction__event=EventType.REVERSAL, transaction__reverses__event__in=events)
        )
        .annotate(
            ref=Coalesce("transaction__reverses__reference", "transaction__reference"),
            origin=Coalesce("transaction__reverses__event", "transaction__event"),
            original=Coalesce("transaction__reverses_id", "transaction_id"),
        )
        .values("ref", "origin", "currency", "account__provider", "account__shop_id")
        .annotate(total=Sum("amount_minor"), txn=Min("original"))
        .order_by()
    )
    out: dict[str, Posting] = {}
    for row in rows:
        posting = out.setdefault(row["ref"], Posting())
        posting.amount += sign * row["total"]
        posting.currency = posting.currency or row["currency"]
        posting.event = row["origin"]
        posting.transaction_id = row["txn"]
        if row["account__provider"]:
            posting.providers.add(row["account__provider"])
        if row["account__shop_id"]:
            posting.shops.add(row["account__shop_id"])
    return out


def _id_after(prefix: str, reference: str) -> int | None:
    tail = reference.removeprefix(prefix)
    if tail == reference or not tail.isascii() or not tail.isdigit():
        return None
    return int(tail)


def reconcile(progress: Progress | None = None) -> Report:
    """Run every check and return the report (`all_agree` when nothing differs).

    On PostgreSQL every check reads one snapshot (a read-only REPEATABLE READ transaction), so
    a payment captured while the report runs is either wholly in it or wholly out: never a
    succeeded payment without its capture. Inside a caller's transaction, that one is used."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return _reconcile(progress)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return _reconcile(progress)


def _reconcile(progress: Progress | None) -> Report:
    say = progress or (lambda stage, done, total: None)
    report = Report()
    captured = _check_payments(report, say)
    refunded_before = _check_refunds(report, say)
    settled = _check_settlements(report, say, refunded_before)
    _check_payouts(report, say)
    _check_ledger(report, say, captured, refunded_before, settled)
    return report


def _chunks(rows, stage: str, total: int, say: Progress):
    say(stage, 0, total)
    for done, row in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        yield row
        if done % CHUNK == 0:
            say(stage, done, total)
    say(stage, total, total)


def _check_payments(report: Report, say: Progress) -> dict[str, int]:
    """Each succeeded payment has one capture of its amount with its provider, and each
    capture a succeeded payment. Returns the amount captured per currency (the payments' side)."""
    captures = postings([EventType.PAYMENT_CAPTURED], AccountKind.GATEWAY_CLEARING, +1)
    events = PaymentEvent.objects.filter(kind=EventKind.SUCCEEDED).values_list(
        "payment_id",
        "payment__public_id",
        "provider",
        "amount_minor",
        "currency",
        "payment__provider",
        "payment__amount_minor",
        "payment__currency",
    )
    total = events.count()
    captured: dict[str, int] = {}
    for row in _chunks(events, "payments", total, say):
        payment_id, public_id, provider, minor, currency, own_provider, own_minor, own_cur = row
        # A provider's record: its own figures, the payment's where the event has none.
        paid = Money(own_minor if minor is None else minor, currency or own_cur)
        provider = provider or own_provider
        captured[paid.currency] = captured.get(paid.currency, 0) + paid.minor
        posting = captures.pop(str(public_id), None)
        about = {"payment_id": payment_id}
        if posting is None or not posting.amount:
            report.add(
                "capture_missing",
                _(
                    "Payment %(payment)s succeeded at %(provider)s for %(amount)s, but the ledger "
                    "has no capture of it."
                )
                % {"payment": public_id, "provider": provider, "amount": paid},
                **about,
            )
            continue
        about["transaction_id"] = posting.transaction_id
        if posting.money != paid:
            report.add(
                "capture_amount_differs",
                _(
                    "Payment %(payment)s: the provider took %(paid)s, the ledger captured "
                    "%(posted)s."
                )
                % {"payment": public_id, "paid": paid, "posted": posting.money},
                **about,
            )
        elif posting.providers != {provider}:
            report.add(
                "capture_provider_differs",
                _(
                    "Payment %(payment)s was paid at %(provider)s, the ledger captured it at "
                    "%(posted)s."
                )
                % {
                    "payment": public_id,
                    "provider": provider,
                    "posted": ", ".join(sorted(posting.providers)),
                },
                **about,
            )
    strays = {ref: p for ref, p in captures.items() if p.amount}
    known = _payments_by_public_id(strays)
    for reference, posting in sorted(strays.items()):
        report.add(
            "capture_without_payment",
            _(
                "The ledger captured %(amount)s under %(reference)s, but no payment succeeded "
                "under that reference."
            )
            % {"amount": posting.money, "reference": reference},
            payment_id=known.get(reference),
            transaction_id=posting.transaction_id,
        )
    report.checked["payments"] = total
    return captured


def _payments_by_public_id(references: Iterable[str]) -> dict[str, int]:
    ids = []
    for reference in references:
        try:
            ids.append(uuid.UUID(reference))
        except ValueError:
            continue
    rows = Payment.objects.filter(public_id__in=ids).values_list("public_id", "pk")
    return {str(public_id): pk for public_id, pk in rows}


def _check_refunds(report: Report, say: Progress) -> dict[int, int]:
    """Each paid refund has its ledger refund posting of its amount, each refund posting a paid
    refund, and each order's refunded amount is the sum of its paid refunds. Returns, per order,
    what was refunded before its settlement (by the posting's kind; by the dates when the
    posting is missing)."""
    posted = postings(
        [EventType.REFUND_BEFORE_SETTLEMENT, EventType.REFUND_AFTER_SETTLEMENT],
        AccountKind.GATEWAY_CLEARING,
        -1,
    )
    paid = RefundRequest.objects.filter(status=RefundStatus.REFUNDED).values_list(
        "pk", "order_id", "amount_minor", "currency", "refunded_at", "order__completed_at"
    )
    total = paid.count()
    before: dict[int, int] = {}
    for pk, order_id, minor, currency, refunded_at, completed_at in _chunks(
        paid, "refunds", total, say
    ):
        amount = Money(minor, currency)
        posting = posted.pop(f"{REFUND_PREFIX}{pk}", None)
        about = {"refund_id": pk, "order_id": order_id}
        if posting is None or not posting.amount:
            early = completed_at is None or (refunded_at is not None and refunded_at < completed_at)
            report.add(
                "refund_posting_missing",
                _(
                    "Refund %(refund)s of order %(order)s paid %(amount)s, but the ledger has no "
                    "refund posting for it."
                )
                % {"refund": pk, "order": order_id, "amount": amount},
                **about,
            )
        else:
            early = posting.event == EventType.REFUND_BEFORE_SETTLEMENT
            if posting.money != amount:
                report.add(
                    "refund_amount_differs",
                    _(
                        "Refund %(refund)s of order %(order)s is %(amount)s, the ledger refunded "
                        "%(posted)s."
                    )
                    % {"refund": pk, "order": order_id, "amount": amount, "posted": posting.money},
                    transaction_id=posting.transaction_id,
                    **about,
                )
        if early:
            before[order_id] = before.get(order_id, 0) + minor
    for reference, posting in sorted(posted.items()):
        if not posting.amount:
            continue
        refund_id = _id_after(REFUND_PREFIX, reference)
        exists = refund_id is not None and RefundRequest.objects.filter(pk=refund_id).exists()
        report.add(
            "refund_posting_without_refund",
            _(
                "The ledger refunded %(amount)s under %(reference)s, but no refund was paid under "
                "that reference."
            )
            % {"amount": posting.money, "reference": reference},
            refund_id=refund_id if exists else None,
            transaction_id=posting.transaction_id,
        )
    _check_refunded_amounts(report)
    report.checked["refunds"] = total
    return before


def _check_refunded_amounts(report: Report) -> None:
    paid_sum = (
        RefundRequest.objects.filter(order=OuterRef("pk"), status=RefundStatus.REFUNDED)
        .values("order")
        .annotate(s=Sum("amount_minor"))
        .values("s")
    )
    differing = (
        ShopOrder.objects.annotate(paid=Coalesce(Subquery(paid_sum), 0))
        .exclude(refunded_minor=F("paid"))
        .values_list("pk", "refunded_minor", "paid", "currency")
        .order_by("pk")
    )
    for pk, refunded, paid, currency in differing:
        report.add(
            "order_refunded_differs",
            _(
                "Order %(order)s says %(refunded)s was refunded, its paid refunds add up to "
                "%(paid)s."
            )
            % {"order": pk, "refunded": Money(refunded, currency), "paid": Money(paid, currency)},
            order_id=pk,
        )


def _check_settlements(report: Report, say: Progress, before: dict[int, int]) -> dict[str, int]:
    """Each completed order has one settlement of its total less what was refunded before it,
    and each settlement a completed order. Returns what the orders say was settled, per
    currency."""
    settlements = postings([EventType.ORDER_SETTLED], AccountKind.ESCROW, +1)
    completed = ShopOrder.objects.filter(status=Status.COMPLETED).values_list(
        "pk", "total_minor", "currency"
    )
    total = completed.count()
    settled: dict[str, int] = {}
    for pk, total_minor, currency in _chunks(completed, "orders", total, say):
        expected = Money(total_minor - before.get(pk, 0), currency)
        settled[currency] = settled.get(currency, 0) + expected.minor
        posting = settlements.pop(settlement_reference(pk), None)
        if posting is None or not posting.amount:
            if expected.minor:
                report.add(
                    "settlement_missing",
                    _(
                        "Order %(order)s is completed, but the ledger has no settlement of it "
                        "(%(amount)s expected)."
                    )
                    % {"order": pk, "amount": expected},
                    order_id=pk,
                )
        elif posting.money != expected:
            report.add(
                "settlement_amount_differs",
                _(
                    "Order %(order)s: total less refunds before settlement is %(expected)s, the "
                    "ledger settled %(posted)s."
                )
                % {"order": pk, "expected": expected, "posted": posting.money},
                order_id=pk,
                transaction_id=posting.transaction_id,
            )
    strays = {ref: p for ref, p in settlements.items() if p.amount}
    ids = {ref: _id_after(ORDER_PREFIX, ref) for ref in strays}
    statuses = dict(
        ShopOrder.objects.filter(pk__in=[i for i in ids.values() if i]).values_list("pk", "status")
    )
    for reference, posting in sorted(strays.items()):
        order_id = ids[reference]
        if order_id in statuses:
            message = _(
                "The ledger settled %(amount)s for order %(order)s, but the order is %(status)s, "
                "not completed."
            ) % {
                "amount": posting.money,
                "order": order_id,
                "status": Status(statuses[order_id]).label,
            }
        else:
            order_id = None
            message = _(
                "The ledger settled %(amount)s under %(reference)s, but there is no such order."
            ) % {"amount": posting.money, "reference": reference}
        report.add(
            "settled_not_completed",
            message,
            order_id=order_id,
            transaction_id=posting.transaction_id,
        )
    report.checked["orders"] = total
    return settled


def _check_payouts(report: Report, say: Progress) -> None:
    """Each paid withdrawal has a payout posting of its amount to its shop, and each payout a
    paid withdrawal."""
    payouts = postings([EventType.PAYOUT], AccountKind.SELLER_PAYABLE, +1)
    paid = Withdrawal.objects.filter(status=WithdrawalStatus.PAID).values_list(
        "pk", "shop_id", "amount_minor", "currency"
    )
    total = paid.count()
    for pk, shop_id, minor, currency in _chunks(paid, "withdrawals", total, say):
        amount = Money(minor, currency)
        posting = payouts.pop(f"{PAYOUT_PREFIX}{pk}", None)
        if posting is None or not posting.amount:
            report.add(
                "payout_missing",
                _(
                    "Withdrawal %(withdrawal)s is marked paid (%(amount)s), but the ledger has no "
                    "payout for it."
                )
                % {"withdrawal": pk, "amount": amount},
                withdrawal_id=pk,
            )
        elif posting.money != amount or posting.shops != {shop_id}:
            report.add(
                "payout_differs",
                _(
                    "Withdrawal %(withdrawal)s is %(amount)s to shop %(shop)s, the ledger paid "
                    "%(posted)s to shop %(shops)s."
                )
                % {
                    "withdrawal": pk,
                    "amount": amount,
                    "shop": shop_id,
                    "posted": posting.money,
                    "shops": ", ".join(str(s) for s in sorted(posting.shops)),
                },
                withdrawal_id=pk,
                transaction_id=posting.transaction_id,
            )
    for reference, posting in sorted(payouts.items()):
        if not posting.amount:
            continue
        withdrawal_id = _id_after(PAYOUT_PREFIX, reference)
        if withdrawal_id is not None and not Withdrawal.objects.filter(pk=withdrawal_id).exists():
            withdrawal_id = None
        report.add(
            "payout_without_withdrawal",
            _(
                "The ledger paid out %(amount)s under %(reference)s, but no withdrawal was paid "
                "under that reference."
            )
            % {"amount": posting.money, "reference": reference},
            withdrawal_id=withdrawal_id,
            transaction_id=posting.transaction_id,
        )
    report.checked["withdrawals"] = total


def _check_ledger(
    report: Report,
    say: Progress,
    captured: dict[str, int],
    before: dict[int, int],
    settled: dict[str, int],
) -> None:
    """The ledger's own invariants, with escrow checked against what the other apps say."""
    say("ledger", 0, 1)
    refunded: dict[str, int] = {}
    currency_of = (
        dict(ShopOrder.objects.filter(pk__in=list(before)).values_list("pk", "currency"))
        if before
        else {}
    )
    for order_id, minor in before.items():
        currency = currency_of.get(order_id, "CNY")
        refunded[currency] = refunded.get(currency, 0) + minor
    held = {
        row["currency"]: -(row["total"] or 0)
        for row in Entry.objects.filter(account__kind=AccountKind.ESCROW)
        .values("currency")
        .annotate(total=Sum("amount_minor"))
        .order_by()
    }
    currencies = sorted(set(captured) | set(refunded) | set(settled) | set(held))
    for currency in currencies:
        report.escrow.append(
            EscrowLine(
                currency=currency,
                captured=Money(captured.get(currency, 0), currency),
                refunded=Money(refunded.get(currency, 0), currency),
                settled=Money(settled.get(currency, 0), currency),
                held=Money(held.get(currency, 0), currency),
            )
        )
    facts = [EscrowFacts(line.captured, line.refunded, line.settled) for line in report.escrow]
    for sentence in find_violations(facts):
        report.add("ledger_invariant", sentence)
    report.checked["ledger_transactions"] = (
        Entry.objects.values("transaction_id").distinct().count()
    )
    say("ledger", 1, 1)
