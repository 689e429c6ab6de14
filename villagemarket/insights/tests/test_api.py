"""GET /api/v1/seller/{shop_slug}/dashboard: the shop's staff only, figures as on the page."""

from __future__ import annotations

import pytest

from villagemarket.insights.models import ShopVisitDay

URL = "/api/v1/seller/{slug}/dashboard"


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("buyer", 404), ("bob", 404), ("operator", 404), ("alice", 200)],
)
def test_only_the_shops_staff_read_its_dashboard(people, shop_a, who, status):
    visits_before = ShopVisitDay.objects.count()

    response = people[who].get(URL.format(slug=shop_a.slug))

    assert response.status_code == status
    if status != 200:
        assert response.json()["code"] in {"unauthenticated", "not_found"}
    assert ShopVisitDay.objects.count() == visits_before  # a read changes nothing


def test_a_shop_that_does_not_exist_answers_like_someone_elses(people):
    response = people["alice"].get(URL.format(slug="no-such-shop"))

    assert response.status_code == 404


def test_the_dashboard_gives_the_periods_figures_series_and_to_dos(history, people, shop_a):
    response = people["alice"].get(URL.format(slug=shop_a.slug), {"period": "today"})

    body = response.json()
    assert response.status_code == 200
    assert body["period"] == "today" and body["currency"] == "CNY"
    assert (body["orders"], body["paid_minor"], body["paying_buyers"]) == (2, 29700, 1)
    assert (body["visitors"], body["views"], body["conversion"]) == (4, 10, 0.25)
    assert (body["average_order_minor"], body["refunds"], body["refunded_minor"]) == (
        14850,
        1,
        9900,
    )
    assert len(body["series"]) == 7 and body["series"][-1]["paid_minor"] == 29700
    assert body["top_products"][0]["amount_minor"] == 29700
    assert body["to_do"]["to_ship"] == 4


def test_an_unknown_period_is_refused_naming_the_field(people, shop_a):
    response = people["alice"].get(URL.format(slug=shop_a.slug), {"period": "week"})

    assert response.status_code == 422
    assert "period" in response.json()["fields"]
