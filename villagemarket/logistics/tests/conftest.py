"""A village service point run by alice (with two households), and bob's shop that joined it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from villagemarket.catalog.models import Product
from villagemarket.logistics import services
from villagemarket.orders.tests.factories import paid_order
from villagemarket.shops.services import add_household
from villagemarket.testing.couriers import ensure_couriers
from villagemarket.testing.personas import make_product, make_shop


@pytest.fixture
def couriers(db):
    """shipping's seeded couriers (the root conftest seeds them again after a flush)."""
    ensure_couriers()


@pytest.fixture
def point(alice, village, couriers):
    """Alice's service point in 丁楼村; it sells for the 王 and 李 households."""
    return make_shop(alice, village, name="丁楼服务站", slug="dinglou-point", kind="service_point")


@pytest.fixture
def households(alice, point, village):
    return {
        name: add_household(alice, point, name=name, village=village) for name in ("王家", "李家")
    }


@pytest.fixture
def point_skus(point, households):
    """A costume made by the 王 household and a quilt made by the 李 household."""
    costume = make_product(point, title="演出服", price_minor=9900, stock=50)
    quilt = make_product(point, title="羽绒被", price_minor=25000, stock=50)
    Product.objects.filter(pk=costume.pk).update(household=households["王家"])
    Product.objects.filter(pk=quilt.pk).update(household=households["李家"])
    return {"王家": costume.skus.get(), "李家": quilt.skus.get()}


@pytest.fixture
def member(alice, bob, point, shop_b):
    """Bob's quilt shop, a partner that accepted the point's invitation."""
    membership = services.invite_member(user=alice, point=point, member_slug=shop_b.slug)
    services.accept_membership(user=bob, membership_id=membership.pk)
    return shop_b


@pytest.fixture
def member_sku(member):
    return make_product(member, title="蚕丝被", price_minor=30000, stock=20).skus.get()


@pytest.fixture
def orders(buyer, address, point_skus, member_sku):
    """Three paid orders awaiting shipment: one per household of the point, one of bob's shop."""
    return [
        paid_order(buyer, address, point_skus["王家"], 2),
        paid_order(buyer, address, point_skus["李家"]),
        paid_order(buyer, address, member_sku),
    ]


@pytest.fixture
def batch(alice, point):
    return services.create_batch(
        user=alice, point=point, courier_code="ZTO", pickup_date=timezone.localdate()
    )


def numbered(batch, orders, first: int = 700000000001) -> dict[int, str]:
    return {order.pk: str(first + i) for i, order in enumerate(orders)}
