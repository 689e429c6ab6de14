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


@pytest.mark.parametrize(
    "order_cell",
    [
        "١٢",  # Arabic-Indic digits: isdigit() says yes, they are no order id here
        "²",  # a superscript two: isdigit() says yes, int() refuses
        "9" * 5000,  # beyond Python's int-from-string limit and any database id
        "9223372036854775808",  # one past the largest bigint
        "0",
        "-1",
        "1\x00",
    ],
)
def test_absurd_order_ids_are_row_errors_and_ship_nothing(buyer, address, sku_a, order_cell):
    good = paid_order(buyer, address, sku_a)
    text = f"{good.pk},中通快递,ZT0000000001\n{order_cell},中通快递,ZT0000000002\n"

    with pytest.raises(Invalid) as refused:
        services.ship_batch(shop=good.shop, csv_text=text)

    assert list(refused.value.fields) == ["row 2"]
    assert len(refused.value.fields["row 2"][0]) < 80  # the cell is not echoed whole
    assert ShopOrder.objects.get(pk=good.pk).status == "awaiting_shipment"


@pytest.mark.parametrize("carrier", ["中通\x00快递", "\u200b\u200b", "x" * 41, "\x07"])
def test_control_characters_and_invisible_carriers_are_row_errors(buyer, address, sku_a, carrier):
    good = paid_order(buyer, address, sku_a)

    with pytest.raises(Invalid) as refused:
        services.ship_batch(shop=good.shop, csv_text=f"{good.pk},{carrier},ZT0000000001\n")

    assert list(refused.value.fields) == ["row 1"]
    assert ShopOrder.objects.get(pk=good.pk).status == "awaiting_shipment"


def test_a_huge_cell_or_too_many_rows_is_a_file_error(shop_a):
    with pytest.raises(Invalid) as huge:
        services.ship_batch(shop=shop_a, csv_text="1,中通快递," + "Z" * 200_000 + "\n")
    with pytest.raises(Invalid) as many:
        services.ship_batch(shop=shop_a, csv_text="1,中通快递,ZT0000000001\n" * 2002)

    assert "file" in huge.value.fields or "row 1" in huge.value.fields
    assert "2000" in many.value.fields["file"][0]


def test_the_batch_page_answers_a_nul_and_huge_number_file_with_row_errors(
    people, buyer, address, sku_a
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    order = paid_order(buyer, address, sku_a)
    body = f"{'9' * 5000},中通\x00快递,ZT0000000001\n{order.pk},中通快递,ZT00\n".encode()

    response = people["alice"].post(
        reverse("seller_orders:batch_ship", args=[order.shop.slug]),
        {"file": SimpleUploadedFile("ship.csv", body, content_type="text/csv")},
    )

    assert response.status_code in (200, 422)
    assert b"row 1" in response.content and b"row 2" in response.content
    assert ShopOrder.objects.get(pk=order.pk).status == "awaiting_shipment"
