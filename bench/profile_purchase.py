"""Cost of one purchase, step by step, in-process (Django test client) on PostgreSQL.

    .venv/bin/python bench/profile_purchase.py                 # queries, CPU ms, wall ms per step
    .venv/bin/python bench/profile_purchase.py --queries       # also print each step's SQL
    .venv/bin/python bench/profile_purchase.py --cprofile pay  # cProfile one step (top 40)
    .venv/bin/python bench/profile_purchase.py --antifraud off # without anti-brushing's checks

Same flow as bench/checkout.py (two cart adds, checkout with an Idempotency-Key, the sandbox Pay
form); the signed notification goes through the in-process transport (same verification and
processing as the HTTP endpoint, without the hop) and is shown as its own step. Uses its own
database (vm_bench_profile) so it never disturbs a running benchmark.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import json
import logging
import pstats
import statistics
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import checkout as bench  # noqa: E402

STEPS = ("cart add A", "cart add B", "checkout", "pay", "notification")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--purchases", type=int, default=60)
    parser.add_argument("--queries", action="store_true", help="print the SQL of one purchase")
    parser.add_argument("--cprofile", choices=STEPS, help="profile this step over all purchases")
    parser.add_argument("--db-options", default="", help="query string added to DATABASE_URL")
    parser.add_argument(
        "--antifraud",
        choices=["on", "quiet", "off"],
        default="on",
        help="anti-brushing checks: on (the default rules; this one fresh buyer trips some on "
        "every order), quiet (checked but nothing fires), off (not checked)",
    )
    args = parser.parse_args()

    bench.DB_NAME = "vm_bench_profile"
    bench.ENV["DATABASE_URL"] = f"{bench.PG}/{bench.DB_NAME}" + (
        f"?{args.db_options}" if args.db_options else ""
    )
    logging.disable(logging.INFO)  # ImmediateBackend logs every task run
    bench.fresh_database()
    bench.setup_django()
    seeded = bench.seed(1, 10**7)

    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from villagemarket.payments import delivery

    buyer = seeded["buyers"][0]
    if args.antifraud == "quiet":  # every look-up runs, no rule reaches its threshold
        from villagemarket.accounts.models import User
        from villagemarket.antifraud.models import Rule

        Rule.objects.update(threshold=10**6)
        User.objects.update(date_joined=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {buyer['token']}", SERVER_NAME="127.0.0.1")
    page = Client(SERVER_NAME="127.0.0.1")
    page.cookies["sessionid"] = buyer["session"]
    costs: dict[str, list[tuple[float, float, int]]] = {s: [] for s in STEPS}
    sql: dict[str, list[str]] = {s: [] for s in STEPS}
    profiler = cProfile.Profile()

    warm = {"done": False}

    def measure(step: str, call, keep_sql: bool):
        profiling = args.cprofile == step and warm["done"]
        if profiling:
            profiler.enable()
        cpu, wall = time.process_time(), time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            result = call()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if profiling:
            profiler.disable()
        costs[step].append((cpu * 1000, wall * 1000, len(captured)))
        if keep_sql:
            sql[step] = [q["sql"] for q in captured.captured_queries]
        return result

    keep = {"sql": False}
    real_transport = delivery._post_in_process

    def timed_transport(url, headers, body):
        return measure("notification", lambda: real_transport(url, headers, body), keep["sql"])

    checks = args.antifraud != "off"
    with override_settings(SANDBOX_NOTIFY_TRANSPORT="inprocess", ANTIFRAUD_CHECKS=checks):
        delivery._post_in_process = timed_transport
        for index in range(args.purchases + 3):
            keep["sql"] = index == args.purchases + 2
            for step, sku in (("cart add A", "sku_a"), ("cart add B", "sku_b")):
                response = measure(
                    step,
                    lambda sku=sku: api.post(
                        "/api/v1/cart/lines",
                        {"sku_id": seeded[sku], "quantity": 1},
                        content_type="application/json",
                    ),
                    keep["sql"],
                )
                assert response.status_code == 201, response.content
            response = measure(
                "checkout",
                lambda: api.post(
                    "/api/v1/orders/checkout",
                    {"address_id": buyer["address"]},
                    content_type="application/json",
                    headers={"Idempotency-Key": str(uuid.uuid4())},
                ),
                keep["sql"],
            )
            assert response.status_code == 201, response.content
            pay_url = json.loads(response.content)["pay_url"]
            response = measure(
                "pay",
                lambda pay_url=pay_url: page.post(pay_url, {"action": "pay", "delay": "0"}),
                keep["sql"],
            )
            assert response.status_code == 302, response.content
            if index < 3:  # warm-up: first requests import modules and build resolvers
                for step in STEPS:
                    costs[step].clear()
            warm["done"] = index >= 2
    delivery._post_in_process = real_transport

    # The notification runs inside the pay request (on commit): show pay without it.
    pay_only = [
        (p[0] - n[0], p[1] - n[1], p[2] - n[2])
        for p, n in zip(costs["pay"], costs["notification"], strict=True)
    ]
    print(
        f"{args.purchases} purchases, in-process, PostgreSQL, anti-brushing {args.antifraud}; "
        "medians per step"
    )
    print(f"{'step':<28}{'queries':>8}{'CPU ms':>9}{'wall ms':>9}")
    rows = [(s, costs[s]) for s in STEPS if s not in ("pay", "notification")]
    rows += [("pay (page + attempt)", pay_only)]
    rows += [("notification (verify+apply)", costs["notification"])]
    total = [0.0, 0.0, 0]
    for name, values in rows:
        cpu = statistics.median(v[0] for v in values)
        wall = statistics.median(v[1] for v in values)
        queries = round(statistics.median(v[2] for v in values))
        total = [total[0] + cpu, total[1] + wall, total[2] + queries]
        print(f"{name:<28}{queries:>8}{cpu:>9.1f}{wall:>9.1f}")
    print(f"{'one purchase':<28}{total[2]:>8}{total[0]:>9.1f}{total[1]:>9.1f}")
    if args.queries:
        for step in STEPS:
            print(f"\n--- {step}: {len(sql[step])} queries")
            for statement in sql[step]:
                print("  " + statement[:220])
            repeats = Counter(s.split(" WHERE ")[0][:90] for s in sql[step])
            print("  repeated:", {k: v for k, v in repeats.items() if v > 1})
    if args.cprofile:
        print(f"\n--- cProfile of {args.cprofile}")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        pstats.Stats(profiler).print_callees("villagemarket/.*")
    connection.close()


if __name__ == "__main__":
    main()
