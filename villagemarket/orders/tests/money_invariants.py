"""The money invariants of DESIGN.md that need the orders' side, read from the database only.

`ledger/invariants.py` checks what the ledger can check alone (accounts sum to zero, each
transaction balances, escrow equals the caller's facts, no payable below zero without a reason).
The rest needs orders, refunds, payments and withdrawals, which the ledger may not import; the
cross-app money tests check it here:

- each order is settled at most once, and exactly once when it completed; its settlement takes
  from escrow its total less what was refunded before it completed;
- refunds never exceed what was captured: per order (the refund postings equal the order's
  refunded amount, at most its total) and per payment;
- every refund paid back is posted once, and only refunds paid back are posted;
- escrow holds what is owed on paid, unsettled orders (plus payments captured after their
  orders closed, which wait to be returned);
- a seller's payable never gives back more than its sales earned it (so it is below zero only
  when the money had already been paid out), and nobody was paid out more than they earned;
- stock is what was put on sale less what orders hold (sold), closed unpaid orders and orders
  refunded in full before shipment having given theirs back.

Each function returns plain sentences, empty when all is well.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q, Sum

from villagemarket.catalog.models import SKU
from villagemarket.ledger.models import Account, AccountKind, Entry, EventType, Withdrawal
from villagemarket.ledger.states import WithdrawalStatus
from villagemarket.orders.models import RefundRequest, ShopOrder, ShopOrderLine
from villagemarket.orders.refund_states import RefundStatus
from villagemarket.orders.states import Status
from villagemarket.payments.models import Payment, PaymentStatus

UNPAID_CLOSE = ("unpaid", "cancelled")


def _postings(event: str) -> dict[str, list[tuple[str, int]]]:
    """reference -> [(account kind, signed amount)] of every entry posted for `event`."""
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    rows = Entry.objects.filter(transaction__event=event).values_list(
        "transaction__reference", "account__kind", "amount_minor"
    )
    for reference, kind, amount in rows:
        found[reference].append((kind, amount))
    return found


def _refund_sums() -> dict[int, dict[str, int]]:
    """order id -> {event: total refunded through postings of that event}."""
    refund_orders = dict(RefundRequest.objects.values_list("pk", "order_id"))
    sums: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for event in (EventType.REFUND_BEFORE_SETTLEMENT, EventType.REFUND_AFTER_SETTLEMENT):
        for reference, entries in _postings(event).items():
            refund_id = int(reference.removeprefix("refund:"))
            # What the provider gave back: the gateway clearing credit.
            paid = -sum(a for kind, a in entries if kind == AccountKind.GATEWAY_CLEARING)
            sums[refund_orders[refund_id]][event] += paid
    return sums


def settlement_problems() -> list[str]:
    """Each order settled at most once, exactly once when completed, for what the buyer kept."""
    problems = []
    settlements = _postings(EventType.ORDER_SETTLED)
    refunds = _refund_sums()
    orders = ShopOrder.objects.values_list("pk", "status", "total_minor")
    for pk, status, total in orders:
        entries = settlements.get(f"order:{pk}")
        if status == Status.COMPLETED and entries is None:
            problems.append(f"order {pk} completed but was never settled")
        if status != Status.COMPLETED and entries is not None:
            problems.append(f"order {pk} is {status} but was settled")
        if entries is None:
            continue
        taken = sum(a for kind, a in entries if kind == AccountKind.ESCROW)
        kept = total - refunds[pk][EventType.REFUND_BEFORE_SETTLEMENT]
        if taken != kept:
            problems.append(
                f"order {pk}: settlement took {taken} from escrow, the buyer kept {kept}"
            )
    # (event, reference) is unique in the ledger; a second settlement would need a second
    # reference, so also count settlements that name no order at all.
    known = {f"order:{pk}" for pk, _s, _t in orders}
    problems += [f"settlement {ref} names no order" for ref in settlements if ref not in known]
    return problems


def refund_problems() -> list[str]:
    """Refunds posted once each, only when paid back, never more than what was captured."""
    problems = []
    refunds = _refund_sums()
    posted: dict[str, int] = defaultdict(int)  # a refund posted as both events counts twice
    for event in (EventType.REFUND_BEFORE_SETTLEMENT, EventType.REFUND_AFTER_SETTLEMENT):
        for reference, entries in _postings(event).items():
            posted[reference] -= sum(a for k, a in entries if k == AccountKind.GATEWAY_CLEARING)
    for pk, status, amount in RefundRequest.objects.values_list("pk", "status", "amount_minor"):
        paid = posted.get(f"refund:{pk}")  # (.get: reading does not add the key)
        if (status == RefundStatus.REFUNDED) != (paid is not None):
            problems.append(f"refund {pk} is {status} and {'is' if paid else 'is not'} posted")
        elif paid is not None and paid != amount:
            problems.append(f"refund {pk} of {amount} was posted as {paid}")
    by_payment: dict[int, int] = defaultdict(int)
    for pk, payment_id, total, refunded in ShopOrder.objects.values_list(
        "pk", "payment_id", "total_minor", "refunded_minor"
    ):
        through_ledger = sum(refunds[pk].values())
        if through_ledger != refunded:
            problems.append(
                f"order {pk}: the ledger refunded {through_ledger}, the order says {refunded}"
            )
        if refunded > total:
            problems.append(f"order {pk}: refunded {refunded} of a total of {total}")
        by_payment[payment_id] += through_ledger
    captured = dict(
        Payment.objects.filter(status=PaymentStatus.SUCCEEDED).values_list("pk", "amount_minor")
    )
    for payment_id, refunded in by_payment.items():
        if refunded > captured.get(payment_id, 0):
            problems.append(
                f"payment {payment_id}: refunded {refunded}, captured {captured.get(payment_id, 0)}"
            )
    return problems


def owed_in_escrow() -> int:
    """What escrow should hold, from orders and payments alone: paid orders not yet settled,
    less what was refunded on them, and payments captured after their orders had closed."""
    owed = (
        ShopOrder.objects.filter(paid_at__isnull=False)
        .exclude(status=Status.COMPLETED)
        .aggregate(s=Sum("total_minor") - Sum("refunded_minor"))["s"]
        or 0
    )
    stranded = (
        ShopOrder.objects.filter(
            paid_at__isnull=True,
            status=Status.CLOSED,
            close_reason__in=UNPAID_CLOSE,
            payment__status=PaymentStatus.SUCCEEDED,
        ).aggregate(s=Sum("total_minor"))["s"]
        or 0
    )
    return owed + stranded


def escrow_problems() -> list[str]:
    held = -(
        Entry.objects.filter(account__kind=AccountKind.ESCROW).aggregate(s=Sum("amount_minor"))["s"]
        or 0
    )
    owed = owed_in_escrow()
    return [] if held == owed else [f"escrow holds {held}, paid unsettled orders are owed {owed}"]


def payable_problems() -> list[str]:
    """A payable gives back at most what sales earned it; payouts never exceed what it earned,
    and paid plus pending withdrawals never exceed it either."""
    problems = []
    sums: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = Entry.objects.filter(account__kind=AccountKind.SELLER_PAYABLE).values_list(
        "account_id", "transaction__event", "amount_minor"
    )
    for account_id, event, amount in rows:
        sums[account_id][event] -= amount  # credit-normal: what the platform owes is positive
    for account in Account.objects.filter(kind=AccountKind.SELLER_PAYABLE).order_by("pk"):
        own = sums[account.pk]
        earned = own[EventType.ORDER_SETTLED]
        given_back = -own[EventType.REFUND_AFTER_SETTLEMENT]
        paid_out = -own[EventType.PAYOUT]
        if given_back > earned:
            problems.append(
                f"{account.key} gave back {given_back} in refunds but its sales earned {earned}"
            )
        if earned - given_back - paid_out < 0 and paid_out == 0:
            problems.append(f"{account.key} is below zero and nothing was paid out")
        withdrawn = (
            Withdrawal.objects.filter(
                shop_id=account.shop_id,
                household_id=account.household_id,
                status__in=[WithdrawalStatus.PAID, WithdrawalStatus.REQUESTED],
            ).aggregate(s=Sum("amount_minor"))["s"]
            or 0
        )
        if withdrawn > earned:
            problems.append(f"{account.key}: {withdrawn} withdrawn or asked for, {earned} earned")
        paid = (
            Withdrawal.objects.filter(
                shop_id=account.shop_id,
                household_id=account.household_id,
                status=WithdrawalStatus.PAID,
            ).aggregate(s=Sum("amount_minor"))["s"]
            or 0
        )
        if paid != paid_out:
            problems.append(f"{account.key}: withdrawals paid {paid}, payouts posted {paid_out}")
    return problems


def stock_problems(initial: dict[int, int]) -> list[str]:
    """stock = initial - sold + returned: orders hold their goods unless they closed unpaid or
    were refunded in full before they shipped."""
    gave_back = Q(order__status=Status.CLOSED) & (
        Q(order__close_reason__in=UNPAID_CLOSE)
        | Q(order__close_reason="refunded", order__shipped_at__isnull=True)
    )
    held = dict(
        ShopOrderLine.objects.exclude(gave_back)
        .values("sku_id")
        .annotate(n=Sum("quantity"))
        .values_list("sku_id", "n")
    )
    problems = []
    for sku_id, stock in SKU.objects.filter(pk__in=initial).values_list("pk", "stock"):
        expected = initial[sku_id] - held.get(sku_id, 0)
        if stock != expected:
            problems.append(f"SKU {sku_id} has {stock} in stock, {expected} expected")
    return problems


def all_problems(initial_stock: dict[int, int]) -> list[str]:
    return (
        settlement_problems()
        + refund_problems()
        + escrow_problems()
        + payable_problems()
        + stock_problems(initial_stock)
    )
