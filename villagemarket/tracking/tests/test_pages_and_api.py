"""Who sees an order's tracking (pages and API), and the rate-limited refresh."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from villagemarket.orders import services as orders
from villagemarket.orders.tests.factories import paid_order
from villagemarket.tracking import services
from villagemarket.tracking.models import Parcel, TrackingEvent
from villagemarket.tracking.providers import ParcelEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


class Fixed:
    name = "fixed"

    def __init__(self, *events):
        self.events = list(events)

    def fetch(self, courier_code, number, phone_tail, *, shipped_at=None):
        return self.events


@pytest.fixture
def tracked(buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    order = orders.ship_order(
        shop=order.shop, order_id=order.pk, carrier="SF", tracking_no="SF1234567890123"
    )
    now = timezone.now()
    provider = Fixed(
        ParcelEvent(now - datetime.timedelta(hours=20), "accepted", "曹县", "【曹县】快件已揽收"),
        ParcelEvent(
            now - datetime.timedelta(hours=2), "in_transit", "郑州", "到达【郑州转运中心】"
        ),
    )
    services.poll_parcel(Parcel.objects.get(order=order), provider)
    return order


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 401), ("bob", 404), ("buyer", 200), ("alice", 200), ("operator", 200)],
)
def test_the_buyer_the_shop_and_operators_read_the_timeline(people, tracked, who, status):
    response = people[who].get(f"/api/v1/tracking/orders/{tracked.pk}")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert (body["courier_code"], body["tracking_no"]) == ("SF", "SF1234567890123")
        assert body["tracking_url"].endswith("/SF1234567890123")
        assert [e["status"] for e in body["events"]] == ["in_transit", "accepted"]  # newest first


def test_a_missing_order_is_the_same_404(people):
    assert people["buyer"].get("/api/v1/tracking/orders/999999").status_code == 404


def test_the_buyer_s_order_page_shows_the_courier_link_and_timeline(people, tracked):
    page = people["buyer"].get(f"/orders/{tracked.pk}/").content.decode()
    assert "顺丰速运" in page and "sf-express.com" in page
    assert page.index("郑州转运中心") < page.index("【曹县】快件已揽收")
    assert "/tracking/orders/" in page  # the refresh button


def test_the_seller_s_order_page_shows_the_same(people, tracked):
    page = people["alice"].get(f"/seller/orders/alice-costumes/{tracked.pk}/").content.decode()
    assert "郑州转运中心" in page and "sf-express.com" in page
    assert f"/seller/tracking/alice-costumes/{tracked.pk}/refresh/" in page


def test_an_unlisted_carrier_says_it_is_not_tracked(people, buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    orders.ship_order(shop=order.shop, order_id=order.pk, carrier="村村通", tracking_no="CC123456")
    page = people["buyer"].get(f"/orders/{order.pk}/").content.decode()
    assert "村村通" in page and "/tracking/orders/" not in page


@pytest.mark.parametrize(
    "who, url, allowed",
    [
        ("buyer", "/tracking/orders/{pk}/refresh/", True),
        ("bob", "/tracking/orders/{pk}/refresh/", False),
        ("alice", "/tracking/orders/{pk}/refresh/", False),  # not her order as a buyer
        ("alice", "/seller/tracking/alice-costumes/{pk}/refresh/", True),
        ("bob", "/seller/tracking/alice-costumes/{pk}/refresh/", False),
        ("bob", "/seller/tracking/bob-quilts/{pk}/refresh/", False),
    ],
)
def test_who_may_refresh_from_the_pages(people, tracked, who, url, allowed):
    polled_before = Parcel.objects.get(order=tracked).last_polled_at
    response = people[who].post(url.format(pk=tracked.pk))
    polled_after = Parcel.objects.get(order=tracked).last_polled_at
    if allowed:
        assert response.status_code == 302 and polled_after > polled_before
    else:
        assert response.status_code in (302, 404) and polled_after == polled_before
        if response.status_code == 302:
            assert "/accounts/" in response["Location"]


@pytest.mark.parametrize(
    "who, status", [("anonymous", 401), ("bob", 404), ("buyer", 200), ("alice", 200)]
)
def test_who_may_refresh_through_the_api(people, tracked, who, status):
    response = people[who].post(f"/api/v1/tracking/orders/{tracked.pk}/refresh")
    assert response.status_code == status


def test_refresh_is_limited_per_order_whoever_asks(people, tracked):
    url = f"/api/v1/tracking/orders/{tracked.pk}/refresh"
    answers = [people[who].post(url).status_code for who in ("buyer", "alice", "buyer", "alice")]
    assert answers == [200, 200, 200, 429]
    assert people["buyer"].post(url).json()["code"] == "rate_limited"


def test_refresh_of_an_untracked_parcel_is_a_conflict(people, buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    orders.ship_order(shop=order.shop, order_id=order.pk, carrier="村村通", tracking_no="CC123456")
    response = people["buyer"].post(f"/api/v1/tracking/orders/{order.pk}/refresh")
    assert response.status_code == 409 and response.json()["code"] == "not_tracked"
    assert not TrackingEvent.objects.filter(order=order).exists()
