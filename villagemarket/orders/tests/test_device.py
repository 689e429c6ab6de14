"""The device id: every visitor gets a long-lived random cookie; checkout records it on the
orders (the page from the cookie, the API from X-Device-Id); the address is kept as a key."""

from __future__ import annotations

import pytest

from villagemarket.orders.device import COOKIE
from villagemarket.orders.identity import address_key, clean_device_id, normalised_address
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.tests.test_pages import fill_cart, token_of

pytestmark = pytest.mark.django_db


def test_a_first_visit_gets_a_long_lived_random_device_cookie(anonymous_client, village):
    first = anonymous_client.get("/")
    cookie = first.cookies[COOKIE]
    assert clean_device_id(cookie.value) and cookie["max-age"] >= 365 * 24 * 3600
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert COOKIE not in anonymous_client.get("/").cookies  # kept, not renewed


def test_the_checkout_page_records_the_device(people, buyer, address, sku_a):
    client = people["buyer"]
    client.get("/")
    device = client.cookies[COOKIE].value
    fill_cart(buyer, (sku_a, 1))
    token = token_of(client.get("/orders/checkout/"))
    client.post("/orders/checkout/", {"token": token, "address_id": address.pk})
    order = ShopOrder.objects.get()
    assert order.device_id == device
    assert order.address_key == address_key("371721121", "丁楼村 3 组 12 号")


def test_an_api_client_sends_its_device_id_as_a_header(people, address, sku_a):
    body = {"address_id": address.pk, "items": [{"sku_id": sku_a.pk, "quantity": 1}]}
    response = people["buyer"].post(
        "/api/v1/orders/checkout",
        body,
        content_type="application/json",
        headers={"X-Device-Id": "app-install-7f3a9c21d4"},
    )
    assert response.status_code == 201
    assert ShopOrder.objects.get().device_id == "app-install-7f3a9c21d4"


def test_addresses_written_differently_have_one_key():
    a = normalised_address("371721121", "丁楼村 3 组 12 号")
    assert a == normalised_address("371721121", "丁楼村３组，12号")
    assert a != normalised_address("371721121", "丁楼村 3 组 13 号")
    assert a != normalised_address("371721122", "丁楼村 3 组 12 号")
