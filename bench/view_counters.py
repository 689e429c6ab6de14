"""View counter benchmark: what counting one product page view costs (core/counters.py).

    .venv/bin/python bench/view_counters.py --views 20000
    .venv/bin/python bench/view_counters.py --views 20000 --redis redis://127.0.0.1:6379/15

Migrates a temporary SQLite database, makes a shop with 50 products, then calls
`counters.record_product_view` N times (random products, 500 visitors) with a request stub, and
prints CPU and wall µs per recorded view: with the in-process buffer (no Redis; its flush every
COUNTERS_FLUSH_SECONDS included) and, with --redis, through Redis (one pipelined round trip:
HINCRBY ×2, PFADD, SADD, EXPIRE ×2). Then the worker's flush of everything counted (ms). Keys
go under a random prefix and are deleted afterwards.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from pathlib import Path

import _django  # noqa: E402 - bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class RequestStub:
    """What the counter reads of a request: the device cookie (and a session)."""

    def __init__(self, device: str):
        self.headers = {}
        self.COOKIES = {"vm_device": device}
        self.session = None


def world(products: int):
    from villagemarket.testing.personas import make_product, make_region_tree, make_shop, make_user

    village = make_region_tree()
    shop = make_shop(make_user("bench@example.com"), village, name="Bench", slug="bench")
    return shop, [make_product(shop, title=f"P{n}").pk for n in range(products)]


def run(label: str, views: int, shop, product_ids: list[int]) -> None:
    from villagemarket.core import counters

    rng = random.Random(1)
    stubs = [RequestStub(f"device-{n:04d}-xxxxxxxxxxxxxxxx") for n in range(500)]
    calls = [(rng.choice(stubs), rng.choice(product_ids)) for _ in range(views)]
    cpu, wall = time.process_time(), time.perf_counter()
    for stub, pk in calls:
        counters.record_product_view(stub, pk, shop.pk)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"{label:<28} {views} views: {cpu / views * 1e6:7.1f} µs CPU, "
        f"{wall / views * 1e6:7.1f} µs wall per view"
    )
    cpu, wall = time.process_time(), time.perf_counter()
    counters.drain()
    print(
        f"{'':<28} worker flush: {(time.perf_counter() - wall) * 1e3:.1f} ms wall, "
        f"{(time.process_time() - cpu) * 1e3:.1f} ms CPU"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--views", type=int, default=20000)
    parser.add_argument("--redis", default="", help="a Redis URL to measure the Redis path too")
    args = parser.parse_args()
    _django.setup(None, "counters", REDIS_URL="")
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from villagemarket.insights.models import ProductViewDay, ShopVisitDay

    shop, product_ids = world(50)
    run("in-process buffer (30 s)", args.views, shop, product_ids)
    if args.redis:
        from villagemarket.core import counters

        settings.REDIS_URL = args.redis
        settings.COUNTERS_KEY_PREFIX = f"bench:{uuid.uuid4().hex}"
        try:
            run("Redis", args.views, shop, product_ids)
        finally:
            client = counters._redis()
            for key in client.scan_iter(f"{settings.COUNTERS_KEY_PREFIX}:*"):
                client.delete(key)
    total = sum(ProductViewDay.objects.values_list("views", flat=True))
    visits = ShopVisitDay.objects.get(shop=shop)
    print(f"stored: {total} product views, shop views {visits.views}, visitors {visits.visitors}")
    expected = args.views * (2 if args.redis else 1)
    if total != expected or visits.views != expected:
        print(f"LOST COUNTS: expected {expected}")
        sys.exit(1)


if __name__ == "__main__":
    main()
