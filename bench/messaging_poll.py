"""Messaging poll benchmark: what one open conversation page costs the server while it polls.

    .venv/bin/python bench/messaging_poll.py --polls 2000          # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vm_bench_messaging \
        .venv/bin/python bench/messaging_poll.py --polls 2000

It migrates a fresh database (a temporary SQLite file, or the PostgreSQL database named, which is
dropped and made again), makes a buyer, a shop and a conversation of 200 messages, then runs the
poll in-process through Django's full middleware stack (test client, signed-in session): N polls
with nothing new (204) and N/10 polls that return one new message (200). Prints queries, CPU ms and
wall ms per poll of each kind, and what that means for a page polling every 3 seconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import _django  # noqa: E402 - bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database_url: str | None) -> None:
    _django.setup(database_url, "messaging", REDIS_URL="")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def measure(client, url: str, count: int, expect: int, before=None) -> tuple[float, float, float]:
    """(queries, CPU ms, wall ms) per request, averaged over `count` requests."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    queries = 0
    cpu = wall = 0.0
    for _ in range(count):
        target = before() if before else url
        reset_queries()  # the log keeps 9,000 queries: counts past that would be wrong
        with CaptureQueriesContext(connection) as captured:
            c0, w0 = time.process_time(), time.perf_counter()
            response = client.get(target)
            cpu += time.process_time() - c0
            wall += time.perf_counter() - w0
        assert response.status_code == expect, (response.status_code, target)
        queries += len(captured)
    return queries / count, cpu * 1000 / count, wall * 1000 / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--polls", type=int, default=2000)
    args = parser.parse_args()
    setup(os.environ.get("DATABASE_URL"))

    from django.test import Client
    from django.test.utils import override_settings

    from villagemarket.messaging import services
    from villagemarket.testing import make_region_tree, make_shop, make_user

    with override_settings(MESSAGING_MESSAGES_PER_MINUTE=10**9, ALLOWED_HOSTS=["testserver"]):
        village = make_region_tree()
        seller = make_user("seller@bench.example")
        buyer = make_user("buyer@bench.example")
        shop = make_shop(seller, village, name="Bench shop", slug="bench")
        conversation = services.write_to_shop(buyer=buyer, shop=shop, text="开始").conversation
        for n in range(199):
            services.reply(conversation, sender=seller, side="shop", text=f"消息 {n}")
        conversation.refresh_from_db()
        client = Client()
        client.force_login(buyer)
        base = f"/messages/{conversation.pk}/poll/?after="
        client.get(base + str(conversation.seq))  # warm up

        idle = measure(client, base + str(conversation.seq), args.polls, 204)

        def one_new():
            services.reply(conversation, sender=seller, side="shop", text="新消息")
            conversation.refresh_from_db()
            return base + str(conversation.seq - 1)

        fresh = measure(client, "", max(1, args.polls // 10), 200, before=one_new)

    engine = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"messaging poll on {engine}, conversation of 200+ messages, session in the database")
    for name, (queries, cpu, wall) in (("nothing new (204)", idle), ("one new (200)", fresh)):
        print(f"  {name:18} {queries:4.1f} queries  {cpu:6.2f} CPU ms  {wall:6.2f} wall ms")
    per_core = 1000 / idle[1]
    print(
        f"  one core answers ~{per_core:.0f} idle polls/s: ~{per_core * 3:.0f} open conversation"
        " pages polling every 3 s (app process only; database CPU not included)"
    )


if __name__ == "__main__":
    main()
