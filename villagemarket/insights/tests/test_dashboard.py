"""Dashboard figures against hand-computed ones (see conftest.history), period boundaries in
Asia/Shanghai, the query budget, and the seller-center panel."""

from __future__ import annotations

import pytest
from django.utils import timezone

from villagemarket.catalog.models import Product
from villagemarket.insights import selectors
from villagemarket.insights.periods import parse_period
from villagemarket.testing.personas import client_for


def period(code: str):
    return parse_period(code, timezone.localdate())


def test_today_counts_orders_paid_since_local_midnight(history, shop_a):
    fig = selectors.figures(shop_a, period("today"))

    # o1 + o2 (paid at 00:00:00); o3 at 23:59:59 yesterday is not today; Bob's order is not ours
    assert (fig.orders, fig.paid_minor, fig.paying_buyers) == (2, 29700, 1)
    assert (fig.visitors, fig.views) == (4, 10)
    assert fig.conversion == pytest.approx(1 / 4)
    assert fig.average_order_minor == 14850
    # o3's refund was paid back today: a figure of its own; the paid amount stays gross
    assert (fig.refunds, fig.refunded_minor) == (1, 9900)


def test_seven_days_end_today_and_start_six_days_ago(history, shop_a):
    fig = selectors.figures(shop_a, period("7d"))

    # o1, o2, o3, o4 (6 days ago); o5 (7 days ago) is outside
    assert (fig.orders, fig.paid_minor, fig.paying_buyers) == (4, 64600, 2)
    assert (fig.visitors, fig.views) == (10, 19)
    assert fig.conversion == pytest.approx(2 / 10)
    assert fig.average_order_minor == 16150
    assert [p["paid_minor"] for p in fig.series] == [25000, 0, 0, 0, 0, 9900, 29700]
    assert [p["visitors"] for p in fig.series][-2:] == [6, 4]


def test_thirty_days(history, shop_a):
    fig = selectors.figures(shop_a, period("30d"))

    assert (fig.orders, fig.paid_minor, fig.paying_buyers) == (5, 74500, 2)
    assert (fig.visitors, fig.views) == (110, 319)
    assert fig.average_order_minor == 14900
    assert len(fig.series) == 30


def test_today_draws_a_week_but_counts_only_today(history, shop_a):
    fig = selectors.figures(shop_a, period("today"))

    assert len(fig.series) == 7
    assert fig.series[-1]["day"] == timezone.localdate()


def test_no_visitors_means_an_unknown_conversion_not_zero(shop_a):
    fig = selectors.figures(shop_a, period("7d"))

    assert fig.conversion is None and fig.average_order_minor is None
    assert fig.orders == 0


def test_top_products_by_paid_amount(history, shop_a):
    top = selectors.top_products(shop_a, period("7d"))

    assert [(t["title"], t["units"], t["amount_minor"]) for t in top] == [
        ("演出服", 4, 39600),
        ("花灯", 1, 25000),
    ]


def test_to_do_lists_orders_to_ship_oldest_first_with_late_ones_flagged(history, shop_a):
    lantern = history["lantern"]
    Product.objects.filter(pk=lantern.product_id).update(low_stock_threshold=9)  # 9 left

    todo = selectors.to_do(shop_a)

    # o3 was refunded (closed); the others wait for shipment
    assert todo.to_ship == 4
    assert [o.pk for o in todo.oldest_to_ship] == [
        history["orders"][k].pk for k in ("o5", "o4", "o2", "o1")
    ]
    assert todo.late_to_ship == 2  # paid 7 and 6 days ago: past the 48-hour promise
    assert [o.is_late for o in todo.oldest_to_ship][:2] == [True, True]
    assert todo.open_refunds == 0 and todo.held_listings == 0
    assert todo.low_stock == 1  # the lantern; the costume has 6 left (threshold 5)


def test_a_dashboard_costs_a_fixed_number_of_queries(history, shop_a, django_assert_num_queries):
    with django_assert_num_queries(13):
        selectors.figures(shop_a, period("30d"))
        selectors.top_products(shop_a, period("30d"))
        selectors.to_do(shop_a)


def test_the_seller_sees_the_panel_on_the_dashboard(history, alice, shop_a):
    response = client_for(alice).get(f"/seller/{shop_a.slug}/?period=today")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-period="today"' in page
    assert 'data-figure="paid">¥297.00<' in page
    assert 'data-figure="conversion">25.0%<' in page
    assert "<svg" in page
    assert "4 orders to ship" in page


def test_the_period_switch_fetches_only_the_panel_with_htmx(history, alice, shop_a):
    url = f"/seller/{shop_a.slug}/insights/panel/?period=30d"

    fragment = client_for(alice).get(url, headers={"HX-Request": "true"})
    plain = client_for(alice).get(url)

    assert fragment.status_code == 200
    assert fragment.content.decode().count('id="insights"') == 1
    assert "<html" not in fragment.content.decode()
    assert plain.status_code == 302 and plain["Location"].endswith("/?period=30d")


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("buyer", 404), ("bob", 404), ("alice", 200)]
)
def test_only_the_shops_staff_see_its_panel(people, shop_a, who, status):
    url = f"/seller/{shop_a.slug}/insights/panel/?period=7d"

    response = people[who].get(url, headers={"HX-Request": "true"})

    assert response.status_code == status
