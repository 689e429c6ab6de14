"""Finance benchmark: the daily figures and the reconciliation report on a year of orders.

    .venv/bin/python bench/finance.py --orders 20000      # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vm_bench_finance \
        .venv/bin/python bench/finance.py --orders 20000

It migrates a fresh database (a temporary SQLite file, or the PostgreSQL database named, which
is dropped and made again), then writes, spread over the last 365 days, N paid and completed
orders as the services leave them: a payment with its `succeeded` provider event, the ledger's
capture and settlement (escrow -> seller payable + 5% commission), and every tenth order half
refunded before settlement. Rows are bulk-inserted (the services would take an hour for this);
the reconciliation must find them all in agreement, which checks the bench's data too. Prints the
time and the number of queries of each read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

import _django  # noqa: E402 - bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database_url: str | None) -> None:
    _django.setup(database_url, "finance")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(orders: int) -> None:
    from django.utils import timezone

    from villagemarket.ledger import services as ledger
    from villagemarket.ledger.models import Entry, EventType, LedgerTransaction
    from villagemarket.orders.models import RefundRequest, ShopOrder
    from villagemarket.payments.models import EventKind, Payment, PaymentEvent
    from villagemarket.testing import make_region_tree, make_shop, make_user

    village = make_region_tree()
    buyer = make_user("bench-buyer@example.com")
    shop = make_shop(make_user("bench-seller@example.com"), village, name="Bench", slug="bench")
    gateway, escrow = ledger.gateway_clearing("sandbox"), ledger.escrow()
    payable, commission = ledger.seller_payable(shop.pk), ledger.commission_revenue()
    today = timezone.localdate()
    per_day = max(1, orders // 365)
    real_now = timezone.now
    made = 0
    day = today - dt.timedelta(days=364)
    while made < orders:
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        timezone.now = lambda moment=moment: moment  # auto_now_add stamps this day
        n = min(per_day, orders - made)
        amounts = [9_900 + 100 * ((made + i) % 50) for i in range(n)]
        payments = Payment.objects.bulk_create(
            Payment(buyer=buyer, amount_minor=a, status="succeeded", paid_at=moment)
            for a in amounts
        )
        PaymentEvent.objects.bulk_create(
            PaymentEvent(
                payment=p,
                kind=EventKind.SUCCEEDED,
                provider="sandbox",
                trade_no=f"B{p.pk}",
                amount_minor=p.amount_minor,
                currency="CNY",
            )
            for p in payments
        )
        refunded = [a // 2 if (made + i) % 10 == 0 else 0 for i, a in enumerate(amounts)]
        shop_orders = ShopOrder.objects.bulk_create(
            ShopOrder(
                buyer=buyer,
                shop=shop,
                payment=p,
                status="completed",
                goods_minor=a,
                freight_minor=0,
                total_minor=a,
                recipient="王芳",
                mobile="13912345678",
                region_code="371721121",
                region_label="大集镇",
                address_detail="丁楼村",
                paid_at=moment,
                completed_at=moment,
                refund_claimed_minor=r,
                refunded_minor=r,
            )
            for p, a, r in zip(payments, amounts, refunded, strict=True)
        )
        refunds = RefundRequest.objects.bulk_create(
            RefundRequest(
                order=o,
                status="refunded",
                kind="money_only",
                reason="other",
                amount_minor=r,
                refunded_at=moment,
            )
            for o, r in zip(shop_orders, refunded, strict=True)
            if r
        )
        txns = LedgerTransaction.objects.bulk_create(
            [
                *(
                    LedgerTransaction(event=EventType.PAYMENT_CAPTURED, reference=str(p.public_id))
                    for p in payments
                ),
                *(
                    LedgerTransaction(
                        event=EventType.REFUND_BEFORE_SETTLEMENT, reference=f"refund:{r.pk}"
                    )
                    for r in refunds
                ),
                *(
                    LedgerTransaction(event=EventType.ORDER_SETTLED, reference=f"order:{o.pk}")
                    for o in shop_orders
                ),
            ]
        )
        captures, rest = txns[:n], txns[n:]
        refund_txns, settlements = rest[: len(refunds)], rest[len(refunds) :]
        entries = []
        for txn, p in zip(captures, payments, strict=True):
            entries += [
                Entry(
                    transaction=txn, account=gateway, amount_minor=p.amount_minor, currency="CNY"
                ),
                Entry(
                    transaction=txn, account=escrow, amount_minor=-p.amount_minor, currency="CNY"
                ),
            ]
        for txn, r in zip(refund_txns, refunds, strict=True):
            entries += [
                Entry(transaction=txn, account=escrow, amount_minor=r.amount_minor, currency="CNY"),
                Entry(
                    transaction=txn, account=gateway, amount_minor=-r.amount_minor, currency="CNY"
                ),
            ]
        for txn, o in zip(settlements, shop_orders, strict=True):
            gross = o.total_minor - o.refunded_minor
            fee = gross * 5 // 100
            entries += [
                Entry(transaction=txn, account=escrow, amount_minor=gross, currency="CNY"),
                Entry(
                    transaction=txn, account=payable, amount_minor=-(gross - fee), currency="CNY"
                ),
                Entry(transaction=txn, account=commission, amount_minor=-fee, currency="CNY"),
            ]
        Entry.objects.bulk_create(entries, batch_size=2000)
        made += n
        day += dt.timedelta(days=1)
    timezone.now = real_now


def measure(label: str, call) -> object:
    from django.db import connection, reset_queries

    connection.force_debug_cursor = True
    reset_queries()
    started = time.perf_counter()
    result = call()
    elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed * 1000:.0f} ms, {len(connection.queries)} queries")
    connection.force_debug_cursor = False
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=20_000)
    args = parser.parse_args()
    setup(os.environ.get("DATABASE_URL"))
    from django.db import connection

    started = time.perf_counter()
    seed(args.orders)
    print(
        f"{connection.vendor}: seeded {args.orders} orders in {time.perf_counter() - started:.1f}s"
    )

    from villagemarket.finance import figures
    from villagemarket.finance.reconciliation import reconcile

    end = figures.today()
    measure("daily figures, 30 days", lambda: figures.daily_figures(end - dt.timedelta(29), end))
    year = measure(
        "daily figures, 365 days", lambda: figures.daily_figures(end - dt.timedelta(364), end)
    )
    report = measure("reconciliation", reconcile)
    print(f"  GMV over the year {year.totals['gmv']}, escrow held {year.totals['escrow_held']}")
    print(f"  checked {report.checked}; mismatches: {len(report.mismatches)}")
    for m in report.mismatches[:5]:
        print("   ", m.kind, m.message)


if __name__ == "__main__":
    main()
