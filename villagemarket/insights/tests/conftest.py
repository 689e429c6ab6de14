"""A shop with a history: orders paid on different days (site time zone), a refund, visits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from villagemarket.core.money import Money
from villagemarket.insights.models import ShopVisitDay
from villagemarket.orders import services as order_services
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.tests.factories import paid_order
from villagemarket.testing import make_product, make_user


def local(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime.combine(
        day, dt.time(hour, minute, second), tzinfo=timezone.get_default_timezone()
    )


def paid_on(buyer, address, sku, when: dt.datetime, quantity: int = 1) -> ShopOrder:
    order = paid_order(buyer, address, sku, quantity)
    ShopOrder.objects.filter(pk=order.pk).update(paid_at=when)  # time travel for the test
    order.refresh_from_db()
    return order


@pytest.fixture
def history(buyer, address, shop_a, sku_a, sku_b, village, django_capture_on_commit_callbacks):
    """Alice's shop (¥99 costume, ¥250 lantern), paid orders (totals are goods only: no freight
    template), and Bob's order the figures must ignore.

    | order | paid (Asia/Shanghai)  | buyer  | goods          |
    | o1    | today 10:00           | buyer  | costume        |  9,900
    | o2    | today 00:00:00        | buyer  | 2 costumes     | 19,800
    | o3    | yesterday 23:59:59    | buyer2 | costume        |  9,900  refunded in full today
    | o4    | 6 days ago 12:00      | buyer  | lantern        | 25,000
    | o5    | 7 days ago 12:00      | buyer2 | costume        |  9,900
    """
    today = timezone.localdate()
    lantern = make_product(shop_a, title="花灯", price_minor=25000, stock=10).skus.get()
    buyer2 = make_user("buyer2@example.com", name="Buyer Two")
    address2 = order_services.save_address(
        user=buyer2,
        region_code="371721121",
        detail="胡楼村 1 组",
        recipient="李四",
        mobile="13900000002",
    )
    day = dt.timedelta(days=1)
    orders = {
        "o1": paid_on(buyer, address, sku_a, local(today, 10)),
        "o2": paid_on(buyer, address, sku_a, local(today, 0), quantity=2),
        "o3": paid_on(buyer2, address2, sku_a, local(today - day, 23, 59, 59)),
        "o4": paid_on(buyer, address, lantern, local(today - 6 * day, 12)),
        "o5": paid_on(buyer2, address2, sku_a, local(today - 7 * day, 12)),
        "bob": paid_on(buyer, address, sku_b, local(today, 9)),
    }
    with django_capture_on_commit_callbacks(execute=True):
        refund = order_services.request_refund(
            buyer=buyer2,
            order_id=orders["o3"].pk,
            amount=Money(9900, "CNY"),
            reason="changed_mind",
            kind="money_only",
        )
    ShopVisitDay.objects.create(shop=shop_a, day=today, visitors=4, views=10)
    ShopVisitDay.objects.create(shop=shop_a, day=today - day, visitors=6, views=9)
    ShopVisitDay.objects.create(shop=shop_a, day=today - 10 * day, visitors=100, views=300)
    return {"orders": orders, "refund": refund, "lantern": lantern, "today": today}
