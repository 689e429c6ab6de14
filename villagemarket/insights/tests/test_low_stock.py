"""The low-stock alert: once per crossing of the threshold, to every member of the shop, in
the inbox and through the channels they chose (the outbox)."""

from __future__ import annotations

import pytest

from villagemarket.catalog.models import Product
from villagemarket.catalog.services import adjust_stock
from villagemarket.insights.models import LowStockAlert
from villagemarket.insights.tasks import alert_low_stock
from villagemarket.notifications.models import Delivery, Notification
from villagemarket.shops.models import ShopMember
from villagemarket.testing import make_product, make_user
from villagemarket.testing.threads import run_together


@pytest.fixture
def quilt(shop_a):
    """Alice's quilt: 8 in stock, alert at 3."""
    product = make_product(shop_a, title="羽绒被", price_minor=25000, stock=8)
    Product.objects.filter(pk=product.pk).update(low_stock_threshold=3)
    return product.skus.get()


def alerts_to(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, kind="low_stock")
        .order_by("id")
        .values_list("key", flat=True)
    )


def set_stock(user, sku, n: int) -> None:
    adjust_stock(user, sku.product_id, sku.pk, set_to=n)


def test_a_sku_going_low_is_told_once_to_every_member(alice, shop_a, quilt):
    staff = make_user("staff@example.com")
    ShopMember.objects.create(shop=shop_a, user=staff, role="staff")
    set_stock(alice, quilt, 3)

    alert_low_stock.call()
    alert_low_stock.call()  # still low: nobody is told again

    assert alerts_to(alice) == [f"low_stock:{quilt.pk}:1"]
    assert alerts_to(staff) == [f"low_stock:{quilt.pk}:1"]
    notice = Notification.objects.filter(recipient=alice, kind="low_stock").get()
    assert notice.params["stock"] == 3 and notice.params["threshold"] == 3
    assert notice.url == f"/seller/products/{shop_a.slug}/{quilt.product_id}/stock/"
    # e-mail is on by default for seller news: one delivery per person in the outbox
    assert Delivery.objects.filter(notification__kind="low_stock").count() == 2


def test_above_the_threshold_nobody_is_told(alice, quilt):
    set_stock(alice, quilt, 4)

    alert_low_stock.call()

    assert alerts_to(alice) == []


def test_told_again_only_after_it_went_back_above(alice, quilt):
    set_stock(alice, quilt, 2)
    alert_low_stock.call()
    set_stock(alice, quilt, 1)  # lower still: the same crossing
    alert_low_stock.call()
    set_stock(alice, quilt, 20)  # restocked
    alert_low_stock.call()
    set_stock(alice, quilt, 3)  # low again: a new crossing
    alert_low_stock.call()

    assert alerts_to(alice) == [f"low_stock:{quilt.pk}:1", f"low_stock:{quilt.pk}:2"]
    assert LowStockAlert.objects.get(sku=quilt).crossings == 2


def test_a_threshold_of_zero_never_alerts(alice, quilt):
    Product.objects.filter(pk=quilt.product_id).update(low_stock_threshold=0)
    set_stock(alice, quilt, 0)

    alert_low_stock.call()

    assert alerts_to(alice) == []


def test_other_shops_staff_are_not_told(alice, bob, quilt):
    set_stock(alice, quilt, 0)

    alert_low_stock.call()

    assert alerts_to(bob) == []


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_tell_once(alice, quilt):
    set_stock(alice, quilt, 1)

    results = run_together(alert_low_stock.call, alert_low_stock.call, alert_low_stock.call)

    assert not [r for r in results if isinstance(r, Exception)]
    assert alerts_to(alice) == [f"low_stock:{quilt.pk}:1"]
