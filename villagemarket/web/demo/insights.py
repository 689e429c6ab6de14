"""Demo step: 30 days of product views and visitors for every demo shop, consistent with its
orders, so each seller's dashboard (insights) has a history to show.

Each day a shop gets a few dozen visitors (more in the last week, a seasonal wave), never fewer
than 20 per paying buyer that day (a 0.5-5 % conversion, as on a real marketplace); views are
1.5-3.5 per visitor, spread over the shop's published products (the first ones get most).
Idempotent: once any demo shop has a day of visits, the step is done.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from villagemarket.catalog.models import Product
from villagemarket.insights.models import ProductViewDay, ShopVisitDay
from villagemarket.orders.models import ShopOrder
from villagemarket.shops.models import Shop

DAYS = 30
PRODUCTS_VIEWED = 6


def _paying_buyers(first: dt.date) -> dict[tuple[int, dt.date], int]:
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    rows = (
        ShopOrder.objects.filter(paid_at__gte=start)
        .annotate(day=TruncDate("paid_at", tzinfo=tz))
        .values("shop_id", "day")
        .annotate(n=Count("buyer_id", distinct=True))
        .order_by()
    )
    return {(r["shop_id"], r["day"]): r["n"] for r in rows}


def insights_demo(ctx) -> str:
    """Views and visitors per shop and product for the last 30 days."""
    if ShopVisitDay.objects.exists():
        return "visit history already there"
    today = timezone.localdate()
    first = today - dt.timedelta(days=DAYS - 1)
    paying = _paying_buyers(first)
    products = defaultdict(list)
    for shop_id, pk in (
        Product.objects.filter(status="published")
        .order_by("shop_id", "id")
        .values_list("shop_id", "pk")
    ):
        if len(products[shop_id]) < PRODUCTS_VIEWED:
            products[shop_id].append(pk)
    rng = ctx.rng
    visits, views = [], []
    for shop_id in Shop.objects.filter(status="active").order_by("pk").values_list("pk", flat=True):
        size = rng.uniform(0.5, 2.0)  # some shops draw more people than others
        for n in range(DAYS):
            day = first + dt.timedelta(days=n)
            recent = 1.4 if (today - day).days < 7 else 1.0
            visitors = int(rng.randint(8, 40) * size * recent)
            visitors = max(visitors, paying.get((shop_id, day), 0) * rng.randint(20, 60))
            day_views = int(visitors * rng.uniform(1.5, 3.5))
            visits.append(
                ShopVisitDay(shop_id=shop_id, day=day, visitors=visitors, views=day_views)
            )
            shop_products = products.get(shop_id, [])
            weights = [1 / (i + 1) for i in range(len(shop_products))]
            left = day_views
            for i, pk in enumerate(shop_products):
                share = (
                    left
                    if i == len(shop_products) - 1
                    else int(day_views * weights[i] / sum(weights))
                )
                left -= share
                if share:
                    views.append(ProductViewDay(product_id=pk, day=day, views=share))
    with transaction.atomic():
        ShopVisitDay.objects.bulk_create(visits, batch_size=1000)
        ProductViewDay.objects.bulk_create(views, batch_size=1000)
    return f"{len(visits)} shop-days of visits, {len(views)} product-days of views"
