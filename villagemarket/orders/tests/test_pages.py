"""Buyer and seller order pages: the flow, permission tables, CSRF, one-time checkout token."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from villagemarket.cart.services import add_to_cart, cart_for_user
from villagemarket.catalog.models import SKU
from villagemarket.orders.models import Address, ShopOrder
from villagemarket.orders.tests.factories import checkout, paid_order, shipped_order
from villagemarket.payments.models import Payment

pytestmark = pytest.mark.django_db


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def fill_cart(buyer, *items):
    cart = cart_for_user(buyer)
    for sku, qty in items:
        add_to_cart(cart=cart, sku_id=sku.pk, quantity=qty)


def test_checkout_page_shows_each_shops_freight_and_places_one_payment(
    people, buyer, address, sku_a, sku_b
):
    fill_cart(buyer, (sku_a, 2), (sku_b, 1))
    page = people["buyer"].get("/orders/checkout/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Alice 演出服" in html and "Bob 羽绒被" in html and "¥448.00" in html

    posted = people["buyer"].post(
        "/orders/checkout/", {"token": token_of(page), "address_id": address.pk}
    )

    payment = Payment.objects.get()
    assert posted.status_code == 302 and posted["Location"] == f"/pay/{payment.public_id}/"
    assert ShopOrder.objects.filter(payment=payment).count() == 2
    assert not cart_for_user(buyer).lines.exists()


def test_resubmitting_the_checkout_form_returns_the_same_payment(people, buyer, address, sku_a):
    fill_cart(buyer, (sku_a, 1))
    token = token_of(people["buyer"].get("/orders/checkout/"))
    first = people["buyer"].post("/orders/checkout/", {"token": token, "address_id": address.pk})
    again = people["buyer"].post("/orders/checkout/", {"token": token, "address_id": address.pk})
    assert first["Location"] == again["Location"]
    assert ShopOrder.objects.count() == 1 and SKU.objects.get(pk=sku_a.pk).stock == 9


def test_a_forged_or_someone_elses_token_is_refused(people, buyer, bob, address, sku_a):
    fill_cart(buyer, (sku_a, 1))
    token = token_of(people["buyer"].get("/orders/checkout/"))
    fill_cart(bob, (sku_a, 1))
    assert (
        people["bob"]
        .post("/orders/checkout/", {"token": token, "address_id": address.pk})
        .status_code
        == 302
    )
    assert (
        people["buyer"].post("/orders/checkout/", {"token": "forged", "address_id": address.pk})[
            "Location"
        ]
        == "/orders/checkout/"
    )
    assert not ShopOrder.objects.exists()


def test_checkout_form_without_csrf_token_is_refused(buyer, address, sku_a):
    fill_cart(buyer, (sku_a, 1))
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    token = token_of(client.get("/orders/checkout/"))
    assert (
        client.post("/orders/checkout/", {"token": token, "address_id": address.pk}).status_code
        == 403
    )
    assert not ShopOrder.objects.exists()


def test_out_of_stock_at_checkout_names_the_line_and_reserves_nothing(
    people, buyer, address, sku_b
):
    fill_cart(buyer, (sku_b, 5))
    token = token_of(people["buyer"].get("/orders/checkout/"))
    SKU.objects.filter(pk=sku_b.pk).update(stock=3)  # others bought 2 meanwhile
    response = people["buyer"].post(
        "/orders/checkout/", {"token": token, "address_id": address.pk}, follow=True
    )
    assert "5 wanted, 3 left" in response.content.decode()
    assert not ShopOrder.objects.exists()
    assert SKU.objects.get(pk=sku_b.pk).stock == 3


def test_my_orders_and_detail_with_timeline(people, buyer, address, sku_a):
    order = shipped_order(buyer, address, sku_a)
    listing = people["buyer"].get("/orders/")
    assert listing.status_code == 200 and "演出服" in listing.content.decode()
    detail = people["buyer"].get(f"/orders/{order.pk}/").content.decode()
    for step in ("Placed", "Paid", "Shipped", "ZT1234567890", "Confirm receipt"):
        assert step in detail


def test_confirming_receipt_asks_once_more_before_it_completes(people, buyer, address, sku_a):
    order = shipped_order(buyer, address, sku_a)
    detail = people["buyer"].get(f"/orders/{order.pk}/").content.decode()
    assert f'href="/orders/{order.pk}/confirm/"' in detail  # a link to the question, no POST

    # a POST that did not answer the question (an old form, a double tap) only asks it
    unasked = people["buyer"].post(f"/orders/{order.pk}/confirm/")
    assert unasked["Location"] == f"/orders/{order.pk}/confirm/"
    question = people["buyer"].get(f"/orders/{order.pk}/confirm/")
    assert question.status_code == 200 and "cannot be undone" in question.content.decode()
    assert ShopOrder.objects.get().status == "shipped"

    answered = people["buyer"].post(f"/orders/{order.pk}/confirm/", {"sure": "yes"})

    assert answered.status_code == 302 and ShopOrder.objects.get().status == "completed"


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("bob", 404), ("alice", 404)])
def test_only_the_buyer_gets_the_confirmation_question(people, buyer, address, sku_a, who, status):
    order = shipped_order(buyer, address, sku_a)
    assert people[who].get(f"/orders/{order.pk}/confirm/").status_code == status
    people[who].post(f"/orders/{order.pk}/confirm/", {"sure": "yes"})
    assert ShopOrder.objects.get().status == "shipped"


def test_an_unshipped_order_is_not_asked_to_be_confirmed(people, buyer, address, sku_a):
    order = checkout(buyer, address, (sku_a.pk, 1)).orders[0]
    response = people["buyer"].get(f"/orders/{order.pk}/confirm/")
    assert response["Location"] == f"/orders/{order.pk}/"


def test_a_note_to_each_seller_reaches_the_order_pages_and_the_packing_slip(
    people, buyer, address, sku_a, sku_b
):
    fill_cart(buyer, (sku_a, 1), (sku_b, 1))
    page = people["buyer"].get("/orders/checkout/")
    assert f'name="note_{sku_a.product.shop_id}"' in page.content.decode()

    people["buyer"].post(
        "/orders/checkout/",
        {
            "token": token_of(page),
            "address_id": address.pk,
            f"note_{sku_a.product.shop_id}": "  不要辣椒，谢谢  ",
        },
    )

    order = ShopOrder.objects.get(shop_id=sku_a.product.shop_id)
    assert order.note_to_seller == "不要辣椒，谢谢"
    assert ShopOrder.objects.get(shop_id=sku_b.product.shop_id).note_to_seller == ""
    shop = order.shop.slug
    for who, url in [
        ("buyer", f"/orders/{order.pk}/"),
        ("alice", f"/seller/orders/{shop}/{order.pk}/"),
        ("alice", f"/seller/orders/{shop}/{order.pk}/slip/"),
    ]:
        assert "不要辣椒，谢谢" in people[who].get(url).content.decode(), url


def test_a_newly_added_address_is_chosen_at_once_on_the_checkout_page(
    people, buyer, address, sku_a
):
    fill_cart(buyer, (sku_a, 1))

    added = people["buyer"].post(
        "/orders/addresses/?next=/orders/checkout/",
        {
            "region": "371721121",
            "detail": "胡楼村 8 号",
            "recipient": "李四",
            "mobile": "13800002222",
        },
    )

    new = Address.objects.get(recipient="李四")
    assert added["Location"] == f"/orders/checkout/?address={new.pk}"
    page = people["buyer"].get(added["Location"]).content.decode()
    assert f'name="address_id" value="{new.pk}"' in page


def test_the_address_book_shows_the_full_region(people, buyer, address):
    html = people["buyer"].get("/orders/addresses/").content.decode()
    assert address.region.name in html
    from villagemarket.regions.selectors import ancestors

    for region in ancestors(address.region):
        assert region.name in html


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 302), ("bob", 404), ("alice", 404), ("operator", 404), ("buyer", 200)],
)
def test_order_detail_permission_table(people, buyer, address, sku_a, who, status):
    order = checkout(buyer, address, (sku_a.pk, 1)).orders[0]
    assert people[who].get(f"/orders/{order.pk}/").status_code == status


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("bob", 404), ("buyer", 302)])
def test_cancel_page_permission_table_refusals_change_nothing(
    people, buyer, address, sku_a, who, status
):
    order = checkout(buyer, address, (sku_a.pk, 1)).orders[0]
    response = people[who].post(f"/orders/{order.pk}/cancel/")
    assert response.status_code == status
    cancelled = who == "buyer"
    assert ShopOrder.objects.get().status == ("closed" if cancelled else "awaiting_payment")
    assert SKU.objects.get(pk=sku_a.pk).stock == (10 if cancelled else 9)


def test_buyer_forms_refuse_a_missing_csrf_token(buyer, address, sku_a):
    order = shipped_order(buyer, address, sku_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    assert client.post(f"/orders/{order.pk}/confirm/").status_code == 403
    assert client.post("/orders/addresses/", {"region": "371721121"}).status_code == 403
    assert ShopOrder.objects.get().status == "shipped"


def test_address_book_page_adds_validates_and_protects(people, buyer, village):
    bad = people["buyer"].post(
        "/orders/addresses/",
        {"region": "371721121", "detail": "丁楼村 1 号", "recipient": "王", "mobile": "12345"},
    )
    assert bad.status_code == 422 and not Address.objects.exists()
    good = people["buyer"].post(
        "/orders/addresses/",
        {
            "region": "371721121",
            "detail": "丁楼村 1 号",
            "recipient": "王",
            "mobile": "13912345678",
        },
    )
    assert good.status_code == 302
    address = Address.objects.get()
    assert address.is_default
    assert people["bob"].post(f"/orders/addresses/{address.pk}/delete/").status_code == 404
    assert (
        people["bob"]
        .get(f"/orders/addresses/?edit={address.pk}")
        .content.decode()
        .count("丁楼村 1 号")
        == 0
    )
    assert Address.objects.exists()
    assert people["anonymous"].get("/orders/addresses/").status_code == 302


# --- seller center --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "who, status", [("anonymous", 302), ("buyer", 404), ("bob", 404), ("alice", 200)]
)
def test_seller_order_pages_permission_table(people, buyer, address, sku_a, who, status):
    order = paid_order(buyer, address, sku_a)
    for url in (
        "/seller/orders/alice-costumes/",
        f"/seller/orders/alice-costumes/{order.pk}/",
        f"/seller/orders/alice-costumes/{order.pk}/slip/",
        "/seller/orders/alice-costumes/export.csv",
        "/seller/orders/alice-costumes/batch-ship/",
    ):
        assert people[who].get(url).status_code == status, url


@pytest.mark.parametrize(
    "who, status", [("anonymous", 302), ("buyer", 404), ("bob", 404), ("alice", 302)]
)
def test_ship_form_permission_table_refusals_change_nothing(
    people, buyer, address, sku_a, who, status
):
    order = paid_order(buyer, address, sku_a)
    response = people[who].post(
        f"/seller/orders/alice-costumes/{order.pk}/ship/",
        {"carrier": "中通", "tracking_no": "ZT1234567890"},
    )
    assert response.status_code == status
    assert ShopOrder.objects.get().status == ("shipped" if who == "alice" else "awaiting_shipment")


def test_bob_cannot_reach_alices_order_through_his_shop(people, buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    assert people["bob"].get(f"/seller/orders/bob-quilts/{order.pk}/").status_code == 404
    assert (
        people["bob"]
        .post(
            f"/seller/orders/bob-quilts/{order.pk}/ship/",
            {"carrier": "中通", "tracking_no": "ZT1234567890"},
        )
        .status_code
        == 404
    )
    assert ShopOrder.objects.get().status == "awaiting_shipment"


def test_seller_tabs_filter_orders(people, buyer, address, sku_a):
    to_ship = paid_order(buyer, address, sku_a)
    shipped = shipped_order(buyer, address, sku_a)

    def ids(tab):
        return {
            o.pk
            for o in people["alice"]
            .get(f"/seller/orders/alice-costumes/?tab={tab}")
            .context["page"]
        }

    assert ids("to_ship") == {to_ship.pk}
    assert ids("shipped") == {shipped.pk}
    assert ids("completed") == set()


def test_ship_form_errors_name_the_field(people, buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    response = people["alice"].post(
        f"/seller/orders/alice-costumes/{order.pk}/ship/", {"carrier": "中通", "tracking_no": "1"}
    )
    assert response.status_code == 422 and "tracking number" in response.content.decode()
    assert ShopOrder.objects.get().status == "awaiting_shipment"


def test_seller_ship_form_refuses_a_missing_csrf_token(alice, buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert (
        client.post(
            f"/seller/orders/alice-costumes/{order.pk}/ship/",
            {"carrier": "中通", "tracking_no": "ZT1234567890"},
        ).status_code
        == 403
    )
    assert ShopOrder.objects.get().status == "awaiting_shipment"


def test_csv_export_lists_the_lines(people, buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a, 2)
    response = people["alice"].get("/seller/orders/alice-costumes/export.csv?tab=to_ship")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("order_id,status")
    assert body.splitlines()[0].endswith("note_to_seller")
    assert f"{order.pk},awaiting_shipment" in body and "演出服" in body and "198.00" in body


def test_batch_ship_upload_all_or_nothing_with_row_numbers(people, buyer, address, sku_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = paid_order(buyer, address, sku_a)
    bad = SimpleUploadedFile(
        "ship.csv",
        f"order_id,carrier,tracking_no\n{order.pk},中通,ZT1234567890\n0,中通,ZT1\n".encode(),
    )
    response = people["alice"].post("/seller/orders/alice-costumes/batch-ship/", {"file": bad})
    assert response.status_code == 422 and "row 3" in response.content.decode()
    assert ShopOrder.objects.get().status == "awaiting_shipment"
    good = SimpleUploadedFile("ship.csv", f"{order.pk},中通,ZT1234567890\n".encode())
    assert (
        people["alice"]
        .post("/seller/orders/alice-costumes/batch-ship/", {"file": good})
        .status_code
        == 302
    )
    assert ShopOrder.objects.get().status == "shipped"


def test_seller_extends_from_the_page_once(people, buyer, address, sku_a):
    order = shipped_order(buyer, address, sku_a)
    people["alice"].post(f"/seller/orders/alice-costumes/{order.pk}/extend/")
    assert ShopOrder.objects.get().extended
    assert (
        people["bob"].post(f"/seller/orders/alice-costumes/{order.pk}/extend/").status_code == 404
    )


@pytest.mark.parametrize("value", ["9" * 30, "9223372036854775808", "١٢", "-1"])
def test_absurd_ids_in_checkout_and_address_fields_are_refused_not_500(
    people, buyer, address, sku_a, value
):
    fill_cart(buyer, (sku_a, 1))
    page = people["buyer"].get("/orders/checkout/")

    posted = people["buyer"].post(
        "/orders/checkout/", {"token": token_of(page), "address_id": value, f"note_{value}": "x"}
    )

    assert posted.status_code == 302 and not ShopOrder.objects.exists()
    assert people["buyer"].get(f"/orders/addresses/?edit={value}").status_code == 200
