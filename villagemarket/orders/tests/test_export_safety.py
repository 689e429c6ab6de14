"""The seller's orders CSV is safe to open: a buyer-typed formula stays inert text."""

from __future__ import annotations

import csv
import io

from villagemarket.orders.models import ShopOrder
from villagemarket.orders.tests.factories import paid_order

ATTACK = '=HYPERLINK("http://evil.example","click")'


def test_formulas_in_an_address_and_a_title_come_out_inert(people, buyer, address, sku_a):
    # given an order whose address and remembered product title look like formulas
    order = paid_order(buyer, address, sku_a)
    ShopOrder.objects.filter(pk=order.pk).update(address_detail=ATTACK, recipient="@SUM(A1)")
    order.lines.update(product_title="+cmd|' /C calc'!A0")
    # when the seller exports the orders
    response = people["alice"].get("/seller/orders/alice-costumes/export.csv?tab=to_ship")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body)))[:2]
    cells = dict(zip(header, row, strict=True))
    # then each is prefixed with an apostrophe, and the amounts stay plain numbers
    assert cells["address"] == "'" + ATTACK
    assert cells["recipient"] == "'@SUM(A1)"
    assert cells["product"] == "'+cmd|' /C calc'!A0"
    assert cells["unit_price"] == "99.00" and cells["order_total"].replace(".", "").isdigit()
