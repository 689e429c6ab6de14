"""The demo step gives every active shop 30 days of visits consistent with its paying buyers."""

from __future__ import annotations

from villagemarket.insights.models import ProductViewDay, ShopVisitDay
from villagemarket.web.demo.insights import insights_demo
from villagemarket.web.demo.steps import Context


def test_demo_history_covers_30_days_and_outnumbers_paying_buyers(history, shop_a):
    ShopVisitDay.objects.all().delete()  # the fixture's own visits: the demo starts afresh
    insights_demo(Context())
    again = insights_demo(Context())

    days = {v.day: v for v in ShopVisitDay.objects.filter(shop=shop_a)}
    assert len(days) == 30 and again == "visit history already there"
    # today two orders were paid by one buyer: at least 20 visitors per paying buyer
    assert days[history["today"]].visitors >= 20
    assert all(v.views >= v.visitors for v in days.values())
    product_views = sum(
        ProductViewDay.objects.filter(product__shop=shop_a).values_list("views", flat=True)
    )
    assert product_views == sum(v.views for v in days.values())
