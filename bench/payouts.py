"""Payout batch benchmark: how long, and how many queries, to batch, export and pay N requests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/payouts.py
    .venv/bin/python bench/payouts.py --requests 300          # SQLite

Makes a throwaway test database (`vm_bench_payouts` on PostgreSQL, dropped afterwards; in
memory on SQLite), seeds N shops that each sold ¥100.00, have a bank account and asked to
withdraw ¥50.00, then times `create_batch`, `export_batch_csv`, `mark_batch_paid` and the
operator's pages, printing wall time and query counts. Paying posts one ledger transaction per
request, so the paid step grows linearly.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villagemarket.config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    # Seeding signs up N sellers: a fast hasher, as the tests use (passwords are not measured).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if connection.vendor == "postgresql":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = "vm_bench_payouts"
    # (SQLite: an in-memory database.)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.requests, CaptureQueriesContext, connection)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(n: int, capture, connection) -> None:
    from django.test import Client

    from villagemarket.core.money import Money
    from villagemarket.ledger import payouts, services, withdrawals
    from villagemarket.ledger.invariants import find_violations
    from villagemarket.ledger.services import OrderLine
    from villagemarket.testing import make_region_tree, make_shop, make_user

    village = make_region_tree()
    operator = make_user("op@example.com", staff=True)
    ids = []
    for i in range(n):
        owner = make_user(f"seller{i}@example.com")
        shop = make_shop(owner, village, name=f"店{i}", slug=f"shop-{i}")
        services.record_payment_captured(
            reference=f"p{i}", provider="sandbox", amount=Money(10_000)
        )
        services.settle_order(
            reference=f"order:{i}",
            shop_id=shop.pk,
            lines=[OrderLine(Money(10_000))],
            freight=Money(0),
        )
        payouts.set_bank_account(
            operator=operator,
            shop=shop,
            holder_name=f"户主{i}",
            bank_name="中国农业银行",
            account_number=f"62284800{i:010d}",
        )
        ids.append(withdrawals.request_withdrawal(user=owner, shop=shop, amount=Money(5_000)).pk)

    client = Client()
    client.force_login(operator)
    figures = []

    def measure(label, call):
        with capture(connection) as queries:
            start = time.perf_counter()
            result = call()
            elapsed = time.perf_counter() - start
        figures.append((label, elapsed * 1000, len(queries)))
        return result

    client.get("/operator/payouts/")  # warm templates and URL resolvers
    measure("requests page (GET /operator/payouts/)", lambda: client.get("/operator/payouts/"))
    batch = measure("create_batch", lambda: payouts.create_batch(operator, ids))
    data = measure("export_batch_csv", lambda: payouts.export_batch_csv(batch))
    measure(
        "batch page (GET .../batches/<id>/)",
        lambda: client.get(f"/operator/payouts/batches/{batch.pk}/"),
    )
    measure("mark_batch_paid", lambda: payouts.mark_batch_paid(operator, batch.pk))
    assert not find_violations(), find_violations()

    vendor = connection.vendor
    print(f"payout batch of {n} requests on {vendor}; CSV {len(data):,} bytes")
    print(f"{'step':45} {'ms':>9} {'queries':>8}")
    for label, ms, count in figures:
        print(f"{label:45} {ms:9.1f} {count:8d}")


if __name__ == "__main__":
    main()
