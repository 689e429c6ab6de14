"""Batch shipping from CSV: all rows ship, or none, with row numbers in the errors."""

from __future__ import annotations

import pytest

from villagemarket.core.errors import Invalid
from villagemarket.orders import services
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.tests.factories import checkout, paid_order

pytestmark = pytest.mark.django_db


def test_every_row_ships(buyer, address, sku_a):
    one, two = paid_order(buyer, address, sku_a), paid_order(buyer, address, sku_a)
    text = (
        "order_id,carrier,tracking_no\n"
        f"{one.pk},中通快递,ZT0000000001\n{two.pk},圆通速递,YT0000000002\n"
    )

    shipped = services.ship_batch(shop=one.shop, csv_text=text)

    assert [o.tracking_no for o in shipped] == ["ZT0000000001", "YT0000000002"]
    assert set(ShopOrder.objects.values_list("status", flat=True)) == {"shipped"}


def test_one_bad_row_ships_nothing_and_names_each_bad_row(buyer, address, sku_a, sku_b):
    good = paid_order(buyer, address, sku_a)
    unpaid = checkout(buyer, address, (sku_a.pk, 1)).orders[0]
    other_shop = paid_order(buyer, address, sku_b)
    text = (
        "order_id,carrier,tracking_no\n"
        f"{good.pk},中通快递,ZT0000000001\n"
        f"{unpaid.pk},中通快递,ZT0000000002\n"
        f"{other_shop.pk},中通快递,ZT0000000003\n"
        f"{good.pk},中通快递,ZT0000000004\n"
        "abc,,1\n"
    )
    with pytest.raises(Invalid) as refused:
        services.ship_batch(shop=good.shop, csv_text=text)

    assert sorted(refused.value.fields) == ["row 3", "row 4", "row 5", "row 6"]
    assert "twice" in refused.value.fields["row 5"][0]
    assert ShopOrder.objects.filter(status="shipped").count() == 0


def test_an_empty_file_is_refused(shop_a):
    with pytest.raises(Invalid):
        services.ship_batch(shop=shop_a, csv_text="order_id,carrier,tracking_no\n")
