"""Reviews benchmark: the product page with many reviews, a shop's ratings and reputation, and
the default-rating sweep, in-process on a fresh database.

    .venv/bin/python bench/reviews.py                                   # SQLite in a temp folder
    .venv/bin/python bench/reviews.py --database-url postgres://postgres@127.0.0.1:5432/vm_bench_reviews

Seeds one shop with `--orders` completed orders of one line each (bulk inserts), reviews
`--reviewed` of them (every 5th with a photo row), then leaves the rest to the sweep with their
completion moved past the window. Prints wall and CPU ms per product page (Django test client,
cold and warm cache), per shop page, per shop_records() call, and the sweep's lines per second
with its CPU ms per 1,000 lines. Figures only: nothing is asserted about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

import _django  # noqa: E402 - bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database_url: str | None) -> None:
    _django.setup(database_url, "reviews", ALLOWED_HOSTS="testserver")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def seed(orders: int, reviewed: int):
    from django.db.models.functions import Now

    from villagemarket.orders.models import ShopOrder, ShopOrderLine
    from villagemarket.reviews.models import Review, ReviewPhoto
    from villagemarket.testing import make_product, make_region_tree, make_shop, make_user

    village = make_region_tree()
    buyer = make_user("bench-buyer@example.com", name="王芳")
    shop = make_shop(make_user("bench-seller@example.com"), village, name="Bench", slug="bench")
    product = make_product(shop, title="演出服", stock=10)
    sku = product.skus.get()
    made = ShopOrder.objects.bulk_create(
        ShopOrder(
            buyer=buyer,
            shop=shop,
            status="completed",
            goods_minor=9900,
            freight_minor=0,
            total_minor=9900,
            recipient="王芳",
            mobile="13912345678",
            region_code="371721121",
            region_label="大集镇",
            address_detail="丁楼村",
        )
        for _ in range(orders)
    )
    ShopOrder.objects.update(paid_at=Now(), completed_at=Now())
    lines = ShopOrderLine.objects.bulk_create(
        ShopOrderLine(
            order=o,
            sku=sku,
            product_title="演出服",
            unit_price_minor=9900,
            quantity=1,
            line_total_minor=9900,
        )
        for o in made
    )
    reviews = Review.objects.bulk_create(
        Review(
            line=line,
            order_id=line.order_id,
            product=product,
            shop=shop,
            author=buyer,
            item_stars=1 + i % 5,
            service_stars=5,
            delivery_stars=4,
            text=f"第 {i} 条评价，质量不错。",
            anonymous=i % 7 == 0,
        )
        for i, line in enumerate(lines[:reviewed])
    )
    ReviewPhoto.objects.bulk_create(
        ReviewPhoto(review=r, image="reviews/x.jpg", width=40, height=30) for r in reviews[::5]
    )
    # The unreviewed orders completed 16 days ago: the sweep's work.
    ShopOrder.objects.filter(pk__in=[o.pk for o in made[reviewed:]]).update(
        completed_at=Now() - dt.timedelta(days=16)
    )
    return product, shop


def timed(fn, runs: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - w) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--orders", type=int, default=6000)
    parser.add_argument("--reviewed", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    setup(args.database_url)
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from villagemarket.reviews import selectors, services
    from villagemarket.reviews.models import Review

    t = time.perf_counter()
    product, shop = seed(args.orders, args.reviewed)
    print(
        f"{connection.vendor}: seeded {args.orders} orders, {args.reviewed} reviews "
        f"in {time.perf_counter() - t:.1f} s"
    )
    client = Client()

    def page(url, *, cold):
        def run():
            if cold:
                cache.clear()
            assert client.get(url).status_code == 200

        return run

    for label, url in [
        ("product page", f"/p/{product.pk}/"),
        ("product page, 2 stars, page 30", f"/p/{product.pk}/?stars=2&rpage=30"),
        ("shop page", f"/shops/{shop.slug}/"),
    ]:
        for cold in (True, False):
            reset_queries()  # the log keeps 9,000 at most: seeding filled it
            with CaptureQueriesContext(connection) as ctx:
                page(url, cold=cold)()
            wall, cpu = timed(page(url, cold=cold), args.runs)
            state = "cold cache" if cold else "warm cache"
            print(
                f"{label:32} {state}: {wall:6.1f} ms wall, {cpu:6.1f} ms CPU, "
                f"{len(ctx.captured_queries)} queries"
            )
    wall, cpu = timed(lambda: selectors.shop_records([shop.pk]), args.runs)
    print(f"{'shop_records (1 shop)':32}: {wall:6.1f} ms wall, {cpu:6.1f} ms CPU")

    due = args.orders - args.reviewed
    w, c = time.perf_counter(), time.process_time()
    services.give_default_ratings()
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    print(
        f"sweep: {due} lines in {wall * 1000:.0f} ms = {due / wall:,.0f} lines/s, "
        f"{cpu * 1000 / due * 1000:.0f} ms CPU per 1,000 lines"
    )
    w = time.perf_counter()
    services.give_default_ratings()
    print(f"sweep again (nothing due): {(time.perf_counter() - w) * 1000:.0f} ms")
    defaults = Review.objects.filter(is_default=True).count()
    if defaults != due:
        print(f"WRONG: {defaults} default ratings for {due} lines")
        sys.exit(1)


if __name__ == "__main__":
    main()
