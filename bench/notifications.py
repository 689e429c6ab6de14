"""What notifications cost: the listeners' share of an order step, and the worker's sending rate.

    .venv/bin/python bench/notifications.py                  # 200 orders, 2000 deliveries
    .venv/bin/python bench/notifications.py --orders 100 --deliveries 500

On PostgreSQL (its own database vm_bench_notifications). Prints, per step of an order (pay,
ship), queries and CPU ms with the notification listener and without it; then the worker's
rate sending e-mail (Django's in-memory backend) and sandbox SMS, with CPU ms per delivery.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import checkout as bench  # noqa: E402


def cpu_ms(fn) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        cpu, wall = time.process_time(), time.perf_counter()
        fn()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu * 1000, wall * 1000, len(queries)


def order_steps(n: int, *, listening: bool) -> dict[str, list[tuple[float, float, int]]]:
    from villagemarket.accounts.models import User
    from villagemarket.notifications import listeners
    from villagemarket.orders import hooks, services
    from villagemarket.orders.models import ShopOrder
    from villagemarket.shops.models import Shop
    from villagemarket.testing import make_product

    if listening:
        hooks.on_order_event(listeners.on_order_event)
    elif listeners.on_order_event in hooks._event_listeners:
        hooks._event_listeners.remove(listeners.on_order_event)
    buyer = User.objects.get(email="buyer@example.com")
    shop = Shop.objects.get(slug="bench-shop")
    sku = make_product(shop, title="粉条", price_minor=1500, stock=n).skus.get()
    address = buyer.addresses.first()
    costs = {"pay": [], "ship": []}
    for i in range(n):
        result = services.place_order(buyer=buyer, address_id=address.pk, items=[(sku.pk, 1)])
        order_id = result.orders[0].pk
        costs["pay"].append(cpu_ms(lambda r=result: services.payment_succeeded(r.payment)))
        costs["ship"].append(
            cpu_ms(
                lambda o=order_id, i=i: services.ship_order(
                    shop=shop,
                    order_id=o,
                    carrier="中通快递",
                    tracking_no=f"ZT{i:010d}{int(listening)}",
                )
            )
        )
    assert ShopOrder.objects.filter(status="shipped").count() >= n
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--deliveries", type=int, default=2000)
    args = parser.parse_args()
    bench.DB_NAME = "vm_bench_notifications"
    bench.ENV["DATABASE_URL"] = f"{bench.PG}/{bench.DB_NAME}"
    bench.fresh_database()
    bench.setup_django()
    from django.conf import settings

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from villagemarket.accounts.models import User
    from villagemarket.notifications import events, sending, services
    from villagemarket.notifications.models import Delivery
    from villagemarket.orders.services import save_address
    from villagemarket.testing import make_region_tree, make_shop, make_user

    village = make_region_tree()
    buyer = make_user("buyer@example.com")
    User.objects.filter(pk=buyer.pk).update(mobile="13912345678")
    owner = make_user("owner@example.com")
    staff = make_user("staff@example.com")
    shop = make_shop(owner, village, name="粉条坊", slug="bench-shop")
    shop.members.create(user=staff, role="staff")
    save_address(
        user=buyer, region_code="371721121", detail="丁楼村", recipient="王", mobile="13912345678"
    )

    print(
        f"order steps ({args.orders} orders each way; a shop of 2 members, a buyer with e-mail"
        " and mobile)"
    )
    print("| step | without: queries / CPU ms | with notifications: queries / CPU ms |")
    print("| --- | --- | --- |")
    without = order_steps(args.orders, listening=False)
    with_ = order_steps(args.orders, listening=True)
    for step in ("pay", "ship"):
        a, b = without[step], with_[step]
        print(
            f"| {step} | {statistics.median(q for _c, _w, q in a)} / "
            f"{statistics.median(c for c, _w, _q in a):.2f} | "
            f"{statistics.median(q for _c, _w, q in b)} / "
            f"{statistics.median(c for c, _w, _q in b):.2f} |"
        )

    Delivery.objects.all().delete()
    for i in range(args.deliveries // 2):
        services.notify(events.ORDER_SHIPPED, f"bench:{i}", [buyer.pk], params={"order": f"#{i}"})
    total = Delivery.objects.count()
    cpu, wall = time.process_time(), time.perf_counter()
    sent = 0
    while batch := sending.send_due():
        sent += batch
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"\nsending: {sent} of {total} deliveries (half e-mail, half sandbox SMS) in {wall:.1f} s: "
        f"{sent / wall:.0f} per second, {cpu * 1000 / sent:.2f} CPU ms each (this process; "
        f"PostgreSQL's share not counted)"
    )


if __name__ == "__main__":
    main()
