"""Orders API: addresses, checkout with Idempotency-Key, buyer and shop-staff views, permissions."""

from __future__ import annotations

import pytest

from villagemarket.catalog.models import SKU
from villagemarket.orders.models import Address, ShopOrder
from villagemarket.orders.tests.factories import checkout, paid_order, shipped_order

pytestmark = pytest.mark.django_db
API = "/api/v1/orders/"


def post(client, url, data=None, **headers):
    return client.post(url, data or {}, content_type="application/json", headers=headers)


def test_checkout_returns_payment_link_and_orders_and_a_retry_returns_the_same_body(
    people, address, sku_a, sku_b
):
    body = {
        "address_id": address.pk,
        "items": [{"sku_id": sku_a.pk, "quantity": 2}, {"sku_id": sku_b.pk, "quantity": 1}],
    }

    first = post(people["buyer"], API + "checkout", body, **{"Idempotency-Key": "abc"})
    again = post(people["buyer"], API + "checkout", body, **{"Idempotency-Key": "abc"})

    assert (first.status_code, again.status_code) == (201, 201)  # a replay answers as the first
    assert first.content == again.content and again.headers["Idempotent-Replayed"] == "true"
    data = first.json()
    assert data["pay_url"] == f"/pay/{data['payment_id']}/"
    assert [o["shop"] for o in data["orders"]] == ["alice-costumes", "bob-quilts"]
    assert data["total_minor"] == 2 * 9900 + 25000
    assert ShopOrder.objects.count() == 2


def test_client_sent_prices_are_ignored(people, address, sku_a):
    body = {
        "address_id": address.pk,
        "items": [{"sku_id": sku_a.pk, "quantity": 1, "unit_price_minor": 1}],
    }
    response = post(people["buyer"], API + "checkout", body)
    assert response.status_code == 201
    assert response.json()["orders"][0]["lines"][0]["unit_price_minor"] == 9900
    assert response.json()["total_minor"] == 9900


def test_out_of_stock_is_a_clean_409_naming_the_line(people, address, sku_b):
    response = post(
        people["buyer"],
        API + "checkout",
        {"address_id": address.pk, "items": [{"sku_id": sku_b.pk, "quantity": 9}]},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "out_of_stock"
    assert f"sku_{sku_b.pk}" in response.json()["fields"]
    assert SKU.objects.get(pk=sku_b.pk).stock == 5


@pytest.mark.parametrize("quantity", [0, -3, 100000])
def test_bad_quantities_are_422(people, address, sku_a, quantity):
    response = post(
        people["buyer"],
        API + "checkout",
        {"address_id": address.pk, "items": [{"sku_id": sku_a.pk, "quantity": quantity}]},
    )
    assert response.status_code == 422 and "items.0.quantity" in response.json()["fields"]
    assert not ShopOrder.objects.exists()


def test_checkout_without_items_buys_the_cart(people, address, sku_a):
    post(people["buyer"], "/api/v1/cart/lines", {"sku_id": sku_a.pk, "quantity": 3})
    response = post(people["buyer"], API + "checkout", {"address_id": address.pk})
    assert response.status_code == 201
    assert response.json()["orders"][0]["lines"][0]["quantity"] == 3
    assert people["buyer"].get("/api/v1/cart/").json()["count"] == 0


def test_quote_shows_freight_per_shop(people, address, sku_a):
    post(people["buyer"], "/api/v1/cart/lines", {"sku_id": sku_a.pk, "quantity": 1})
    response = people["buyer"].get(API + f"checkout/quote?address_id={address.pk}")
    assert response.json() == [{"shop": "alice-costumes", "goods_minor": 9900, "freight_minor": 0}]


@pytest.mark.parametrize("who, status", [("anonymous", 401), ("bob", 404), ("buyer", 200)])
def test_only_the_buyer_sees_an_order(people, buyer, address, sku_a, who, status):
    order = checkout(buyer, address, (sku_a.pk, 1)).orders[0]
    assert people[who].get(API + f"{order.pk}").status_code == status
    listed = people[who].get(API)
    if who != "anonymous":
        assert [o["id"] for o in listed.json()["items"]] == ([order.pk] if who == "buyer" else [])


@pytest.mark.parametrize(
    "who, status", [("anonymous", 401), ("bob", 404), ("operator", 404), ("buyer", 200)]
)
def test_only_the_buyer_cancels(people, buyer, address, sku_a, who, status):
    order = checkout(buyer, address, (sku_a.pk, 1)).orders[0]
    assert post(people[who], API + f"{order.pk}/cancel").status_code == status
    expected = "closed" if status == 200 else "awaiting_payment"
    assert ShopOrder.objects.get(pk=order.pk).status == expected


@pytest.mark.parametrize(
    "who, status", [("anonymous", 401), ("bob", 404), ("alice", 404), ("buyer", 200)]
)
def test_only_the_buyer_confirms_receipt(people, buyer, address, sku_a, who, status):
    order = shipped_order(buyer, address, sku_a)
    assert post(people[who], API + f"{order.pk}/confirm").status_code == status
    assert ShopOrder.objects.get(pk=order.pk).status == (
        "completed" if status == 200 else "shipped"
    )


def test_confirming_twice_is_a_409(people, buyer, address, sku_a):
    order = shipped_order(buyer, address, sku_a)
    post(people["buyer"], API + f"{order.pk}/confirm")
    response = post(people["buyer"], API + f"{order.pk}/confirm")
    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"


@pytest.mark.parametrize(
    "who, status", [("anonymous", 401), ("buyer", 404), ("bob", 404), ("alice", 200)]
)
def test_only_the_shops_staff_ship(people, buyer, address, sku_a, who, status):
    order = paid_order(buyer, address, sku_a)
    url = API + f"shops/alice-costumes/orders/{order.pk}/ship"
    response = post(people[who], url, {"carrier": "中通快递", "tracking_no": "ZT1234567890"})
    assert response.status_code == status
    assert ShopOrder.objects.get(pk=order.pk).status == (
        "shipped" if status == 200 else "awaiting_shipment"
    )


@pytest.mark.parametrize("who, count", [("alice", 1), ("bob", None), ("buyer", None)])
def test_shop_staff_see_only_their_shops_orders(people, buyer, address, sku_a, who, count):
    paid_order(buyer, address, sku_a)
    response = people[who].get(API + "shops/alice-costumes/orders?status=to_ship")
    if count is None:
        assert response.status_code == 404
    else:
        assert len(response.json()["items"]) == count


def test_bob_cannot_ship_alices_order_through_his_own_shop(people, buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    response = post(
        people["bob"],
        API + f"shops/bob-quilts/orders/{order.pk}/ship",
        {"carrier": "中通", "tracking_no": "ZT1234567890"},
    )
    assert response.status_code == 404
    assert ShopOrder.objects.get(pk=order.pk).status == "awaiting_shipment"


def test_seller_extends_once_then_409(people, buyer, address, sku_a):
    order = shipped_order(buyer, address, sku_a)
    url = API + f"shops/alice-costumes/orders/{order.pk}/extend"
    assert post(people["alice"], url).json()["extended"] is True
    assert post(people["alice"], url).status_code == 409


def test_batch_ship_reports_rows(people, buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    bad = post(
        people["alice"],
        API + "shops/alice-costumes/ship-batch",
        {"csv": f"{order.pk},中通,ZT1234567890\n999,中通,ZT1\n"},
    )
    assert bad.status_code == 422 and set(bad.json()["fields"]) == {"row 2"}
    good = post(
        people["alice"],
        API + "shops/alice-costumes/ship-batch",
        {"csv": f"{order.pk},中通,ZT1234567890\n"},
    )
    assert good.status_code == 200 and good.json()[0]["status"] == "shipped"


def test_address_book_api_validates_and_keeps_one_default(people, buyer, village):
    bad = post(
        people["buyer"],
        API + "addresses",
        {"region": "371721121227", "detail": "x", "recipient": "", "mobile": "123"},
    )
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"region", "detail", "recipient", "mobile"}
    assert not Address.objects.exists()

    one = post(
        people["buyer"],
        API + "addresses",
        {
            "region": "371721121",
            "detail": "丁楼村 1 号",
            "recipient": "王",
            "mobile": "13912345678",
        },
    )
    two = post(
        people["buyer"],
        API + "addresses",
        {
            "region": "371721001",
            "detail": "曹城街道 2 号",
            "recipient": "李",
            "mobile": "13912345679",
            "is_default": True,
        },
    )
    assert (one.json()["is_default"], two.json()["is_default"]) == (True, True)
    listed = people["buyer"].get(API + "addresses").json()["items"]
    assert [(a["id"], a["is_default"]) for a in listed] == [
        (two.json()["id"], True),
        (one.json()["id"], False),
    ]
    assert listed[0]["region"] == "371721001"

    assert people["bob"].delete(API + f"addresses/{one.json()['id']}").status_code == 404
    assert post(people["bob"], API + f"addresses/{one.json()['id']}/default").status_code == 404
    assert Address.objects.count() == 2
    assert people["buyer"].delete(API + f"addresses/{two.json()['id']}").status_code == 204
    assert Address.objects.get().is_default


def test_anonymous_gets_401_on_every_orders_endpoint(people):
    for url in (API, API + "addresses", API + "1", API + "shops/alice-costumes/orders"):
        assert people["anonymous"].get(url).status_code == 401
    assert post(people["anonymous"], API + "checkout", {"address_id": 1}).status_code == 401


def test_an_api_retry_of_a_cart_checkout_replays_the_first_result_although_the_cart_is_empty(
    people, address, sku_a
):
    # given a cart, checked out once with items omitted
    people["buyer"].post(
        "/api/v1/cart/lines", {"sku_id": sku_a.pk, "quantity": 2}, content_type="application/json"
    )
    body = {"address_id": address.pk}
    first = post(people["buyer"], API + "checkout", body, **{"Idempotency-Key": "cart-1"})
    # when the client retries (the first answer was lost), the cart is empty by now
    again = post(people["buyer"], API + "checkout", body, **{"Idempotency-Key": "cart-1"})
    # then it gets the first answer, not "the cart is empty"
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.content == again.content
    assert ShopOrder.objects.count() == 1 and SKU.objects.get(pk=sku_a.pk).stock == 8


def test_the_same_key_for_another_checkout_is_409_and_changes_nothing(people, address, sku_a):
    one = {"address_id": address.pk, "items": [{"sku_id": sku_a.pk, "quantity": 1}]}
    two = {"address_id": address.pk, "items": [{"sku_id": sku_a.pk, "quantity": 2}]}
    post(people["buyer"], API + "checkout", one, **{"Idempotency-Key": "k-9"})

    reused = post(people["buyer"], API + "checkout", two, **{"Idempotency-Key": "k-9"})

    assert reused.status_code == 409 and reused.json()["code"] == "idempotency_key_reused"
    assert ShopOrder.objects.count() == 1 and SKU.objects.get(pk=sku_a.pk).stock == 9


def test_a_malformed_idempotency_key_is_422_naming_the_header(people, address, sku_a):
    body = {"address_id": address.pk, "items": [{"sku_id": sku_a.pk, "quantity": 1}]}

    bad = post(people["buyer"], API + "checkout", body, **{"Idempotency-Key": "x" * 101})

    assert bad.status_code == 422 and "Idempotency-Key" in bad.json()["fields"]
    assert not ShopOrder.objects.exists()


@pytest.mark.parametrize("quantity", [True, "1", 2.0, 1.5, None])
def test_quantities_must_be_json_integers(people, address, sku_a, quantity):
    body = {"address_id": address.pk, "items": [{"sku_id": sku_a.pk, "quantity": quantity}]}

    refused = post(people["buyer"], API + "checkout", body)

    assert refused.status_code == 422
    assert not ShopOrder.objects.exists() and SKU.objects.get(pk=sku_a.pk).stock == 10


@pytest.mark.parametrize("order_id", ["9223372036854775808", "99999999999999999999999"])
def test_ids_beyond_the_database_range_are_refused_not_500(people, order_id):
    assert people["buyer"].get(API + order_id).status_code in (404, 422)


def test_my_orders_list_is_paginated_with_page_and_size(people, buyer, address, sku_a):
    for _n in range(3):
        checkout(buyer, address, (sku_a.pk, 1))

    page = people["buyer"].get(API + "?page=2&size=2").json()

    assert (page["count"], page["page"], page["pages"], len(page["items"])) == (3, 2, 2, 1)


def test_a_cart_checkout_buys_the_ticked_lines_and_leaves_the_rest(people, address, sku_a, sku_b):
    cart = "/api/v1/cart/"
    post(people["buyer"], cart + "lines", {"sku_id": sku_a.pk, "quantity": 1})
    post(people["buyer"], cart + "lines", {"sku_id": sku_b.pk, "quantity": 1})
    post(people["buyer"], cart + "selection", {"selected": False, "sku_ids": [sku_b.pk]})

    placed = post(people["buyer"], API + "checkout", {"address_id": address.pk})

    assert placed.status_code == 201
    assert [o["shop"] for o in placed.json()["orders"]] == ["alice-costumes"]
    left = people["buyer"].get(cart).json()
    assert [ln["sku_id"] for g in left["groups"] for ln in g["lines"]] == [sku_b.pk]


def test_checkout_api_takes_a_note_per_shop_by_slug(people, address, sku_a):
    body = {
        "address_id": address.pk,
        "items": [{"sku_id": sku_a.pk, "quantity": 1}],
        "notes": {"alice-costumes": "请用纸箱"},
    }

    placed = post(people["buyer"], API + "checkout", body)

    assert placed.status_code == 201
    assert placed.json()["orders"][0]["note_to_seller"] == "请用纸箱"


@pytest.mark.parametrize(
    "notes", [{"no-such-shop": "hi"}, {"alice-costumes": "x" * 201}, {"alice-costumes": "\x00"}]
)
def test_a_bad_note_is_422_and_changes_nothing(people, address, sku_a, notes):
    body = {
        "address_id": address.pk,
        "items": [{"sku_id": sku_a.pk, "quantity": 1}],
        "notes": notes,
    }

    refused = post(people["buyer"], API + "checkout", body)

    assert refused.status_code == 422
    assert not ShopOrder.objects.exists() and SKU.objects.get(pk=sku_a.pk).stock == 10


def test_a_retried_ship_with_the_same_key_replays_instead_of_409(people, buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    url = API + f"shops/{order.shop.slug}/orders/{order.pk}/ship"
    body = {"carrier": "中通快递", "tracking_no": "ZT1234567890"}

    first = post(people["alice"], url, body, **{"Idempotency-Key": "ship-1"})
    again = post(people["alice"], url, body, **{"Idempotency-Key": "ship-1"})
    without_key = post(people["alice"], url, body)

    assert (first.status_code, again.status_code) == (200, 200) and first.content == again.content
    assert without_key.status_code == 409  # a real second shipment is still refused
