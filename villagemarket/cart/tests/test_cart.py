"""Cart: add within stock, problems shown (not hidden), merge at sign-in, API permissions."""

from __future__ import annotations

import pytest

from villagemarket.cart import services
from villagemarket.cart.models import Cart, CartLine
from villagemarket.cart.selectors import cart_view
from villagemarket.catalog.models import SKU, Product
from villagemarket.core.errors import Conflict, Invalid, NotFound, OutOfStock
from villagemarket.core.money import Money
from villagemarket.testing import make_product

pytestmark = pytest.mark.django_db
API = "/api/v1/cart/"


@pytest.fixture
def sku_a(shop_a):
    return make_product(shop_a, title="演出服", price_minor=9900, stock=10).skus.get()


@pytest.fixture
def sku_b(shop_b):
    return make_product(shop_b, title="羽绒被", price_minor=25000, stock=5).skus.get()


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_lines_are_grouped_by_shop_with_subtotals(buyer, sku_a, sku_b):
    cart = services.cart_for_user(buyer)
    services.add_to_cart(cart=cart, sku_id=sku_a.pk, quantity=2)
    services.add_to_cart(cart=cart, sku_id=sku_b.pk, quantity=1)
    services.add_to_cart(cart=cart, sku_id=sku_a.pk, quantity=1)

    view = cart_view(cart)
    assert [(g.shop.slug, g.subtotal.minor) for g in view.groups] == [
        ("alice-costumes", 29700),
        ("bob-quilts", 25000),
    ]
    assert view.total.minor == 54700 and view.count == 4


def test_adding_more_than_the_stock_is_refused_with_how_many_are_left(buyer, sku_b):
    cart = services.cart_for_user(buyer)
    services.add_to_cart(cart=cart, sku_id=sku_b.pk, quantity=4)
    with pytest.raises(OutOfStock) as refused:
        services.add_to_cart(cart=cart, sku_id=sku_b.pk, quantity=2)
    assert "Only 5 left" in refused.value.message
    assert CartLine.objects.get().quantity == 4


@pytest.mark.parametrize("quantity", [0, -1, 1000, "3"])
def test_bad_quantities_are_refused(buyer, sku_a, quantity):
    with pytest.raises(Invalid):
        services.add_to_cart(cart=services.cart_for_user(buyer), sku_id=sku_a.pk, quantity=quantity)
    assert not CartLine.objects.exists()


def test_a_delisted_product_cannot_be_added(buyer, shop_a):
    sku = make_product(shop_a, status="delisted").skus.get()
    with pytest.raises(Conflict):
        services.add_to_cart(cart=services.cart_for_user(buyer), sku_id=sku.pk, quantity=1)


def test_price_change_delisting_inactive_shop_and_short_stock_are_shown(
    buyer, sku_a, sku_b, shop_b
):
    cart = services.cart_for_user(buyer)
    services.add_to_cart(cart=cart, sku_id=sku_a.pk, quantity=3)
    services.add_to_cart(cart=cart, sku_id=sku_b.pk, quantity=1)
    SKU.objects.filter(pk=sku_a.pk).update(price_minor=8800, stock=2)
    shop_b.status = "suspended"
    shop_b.save()

    view = cart_view(cart)
    lines = {lv.line.sku_id: lv for g in view.groups for lv in g.lines}
    assert lines[sku_a.pk].old_price.minor == 9900 and lines[sku_a.pk].price.minor == 8800
    assert "Only 2 left" in lines[sku_a.pk].problem
    assert "not selling" in lines[sku_b.pk].problem
    assert view.has_problems and view.buyable_items() == []

    Product.objects.filter(pk=sku_a.product_id).update(status="delisted")
    assert cart_view(cart).groups[0].lines[0].problem == "No longer sold."


def test_lowering_a_quantity_works_even_when_the_item_is_delisted(buyer, sku_a):
    cart = services.cart_for_user(buyer)
    services.add_to_cart(cart=cart, sku_id=sku_a.pk, quantity=3)
    Product.objects.filter(pk=sku_a.product_id).update(status="delisted")
    services.set_quantity(cart=cart, sku_id=sku_a.pk, quantity=1)
    assert CartLine.objects.get().quantity == 1
    services.set_quantity(cart=cart, sku_id=sku_a.pk, quantity=0)
    assert not CartLine.objects.exists()


def test_merge_adds_quantities_capped_by_stock_and_removes_the_anonymous_cart(buyer, sku_a, sku_b):
    anonymous = Cart.objects.create()
    services.add_to_cart(cart=anonymous, sku_id=sku_a.pk, quantity=8)
    services.add_to_cart(cart=anonymous, sku_id=sku_b.pk, quantity=2)
    mine = services.cart_for_user(buyer)
    services.add_to_cart(cart=mine, sku_id=sku_a.pk, quantity=5)

    services.merge_carts(source=anonymous, target=mine)

    assert dict(CartLine.objects.filter(cart=mine).values_list("sku_id", "quantity")) == {
        sku_a.pk: 10,
        sku_b.pk: 2,
    }
    assert not Cart.objects.filter(pk=anonymous.pk).exists()


def test_signing_in_merges_the_session_cart(client, buyer, sku_a):
    from villagemarket.testing import PASSWORD

    assert client.post("/cart/add/", {"sku_id": sku_a.pk, "quantity": 2}).status_code in (200, 302)
    assert Cart.objects.filter(user__isnull=True).count() == 1
    client.login(username="buyer@example.com", password=PASSWORD)
    # The merge runs on sign-in; the next cart page shows the lines under the buyer's cart.
    assert client.get("/cart/").status_code == 200
    assert CartLine.objects.get(cart__user=buyer).quantity == 2
    assert not Cart.objects.filter(user__isnull=True).exists()


# --- API ----------------------------------------------------------------------------------------
def test_cart_api_add_change_remove_clear(people, sku_a, sku_b):
    buyer = people["buyer"]
    added = post(buyer, API + "lines", {"sku_id": sku_a.pk, "quantity": 2})
    assert added.status_code == 201 and added.json()["count"] == 2
    post(buyer, API + "lines", {"sku_id": sku_b.pk, "quantity": 1})
    changed = buyer.put(API + f"lines/{sku_a.pk}", {"quantity": 4}, content_type="application/json")
    assert changed.json()["groups"][0]["lines"][0]["quantity"] == 4
    removed = buyer.delete(API + f"lines/{sku_b.pk}")
    assert [g["shop"]["slug"] for g in removed.json()["groups"]] == ["alice-costumes"]
    assert buyer.delete(API).json()["count"] == 0


def test_cart_api_refuses_cleanly(people, sku_b):
    too_many = post(people["buyer"], API + "lines", {"sku_id": sku_b.pk, "quantity": 6})
    assert too_many.status_code == 409 and too_many.json()["code"] == "out_of_stock"
    unknown = post(people["buyer"], API + "lines", {"sku_id": 999999, "quantity": 1})
    assert unknown.status_code == 422 and "sku_id" in unknown.json()["fields"]
    assert people["buyer"].delete(API + "lines/999999").status_code == 404
    assert not CartLine.objects.exists()


def test_each_buyer_sees_only_their_cart_and_anonymous_needs_to_sign_in(people, sku_a):
    post(people["buyer"], API + "lines", {"sku_id": sku_a.pk, "quantity": 1})
    assert people["bob"].get(API).json()["count"] == 0
    assert people["bob"].delete(API + f"lines/{sku_a.pk}").status_code == 404
    assert people["anonymous"].get(API).status_code == 401
    assert CartLine.objects.get().quantity == 1


# --- page (htmx) ------------------------------------------------------------------------------
def test_cart_page_updates_a_line_in_place_with_htmx(people, buyer, sku_a):
    services.add_to_cart(cart=services.cart_for_user(buyer), sku_id=sku_a.pk, quantity=1)
    response = people["buyer"].post(
        f"/cart/line/{sku_a.pk}/", {"quantity": "3"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="cart"' in html
    assert 'value="3"' in html and "¥297.00" in html
    assert CartLine.objects.get().quantity == 3


def test_cart_page_shows_a_stock_error_inline_and_keeps_the_quantity(people, buyer, sku_b):
    services.add_to_cart(cart=services.cart_for_user(buyer), sku_id=sku_b.pk, quantity=1)
    response = people["buyer"].post(
        f"/cart/line/{sku_b.pk}/", {"quantity": "9"}, headers={"HX-Request": "true"}
    )
    assert "Only 5 left" in response.content.decode()
    assert CartLine.objects.get().quantity == 1


def test_remove_button_takes_the_line_out(people, buyer, sku_a):
    services.add_to_cart(cart=services.cart_for_user(buyer), sku_id=sku_a.pk, quantity=1)
    assert people["buyer"].post(f"/cart/line/{sku_a.pk}/", {"remove": "1"}).status_code == 302
    assert not CartLine.objects.exists()


def test_anonymous_cart_lives_in_the_database_not_in_the_process(client, sku_a):
    client.post("/cart/add/", {"sku_id": sku_a.pk, "quantity": "2"})
    token = client.session["cart_token"]
    assert CartLine.objects.get(cart__token=token).quantity == 2
    page = client.get("/cart/").content.decode()
    assert "演出服" in page and "Alice 演出服" in page


def test_cart_shows_changed_price_and_delisted_lines(people, buyer, sku_a):
    services.add_to_cart(cart=services.cart_for_user(buyer), sku_id=sku_a.pk, quantity=1)
    SKU.objects.filter(pk=sku_a.pk).update(price_minor=8800)
    Product.objects.filter(pk=sku_a.product_id).update(status="delisted")
    html = people["buyer"].get("/cart/").content.decode()
    assert "was ¥99.00 when added" in html and "No longer sold." in html


def test_add_refuses_without_csrf_token_and_bad_input_changes_nothing(buyer, sku_a):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(buyer)
    assert strict.post("/cart/add/", {"sku_id": sku_a.pk, "quantity": "1"}).status_code == 403
    normal = Client()
    normal.force_login(buyer)
    for quantity in ("0", "-1", "abc", "1000"):
        normal.post("/cart/add/", {"sku_id": sku_a.pk, "quantity": quantity})
    normal.post("/cart/add/", {"sku_id": "nope", "quantity": "1"})
    assert not CartLine.objects.exists()


@pytest.mark.parametrize("who", ["bob", "anonymous"])
def test_nobody_else_can_change_a_buyers_cart_line(people, buyer, sku_a, who):
    services.add_to_cart(cart=services.cart_for_user(buyer), sku_id=sku_a.pk, quantity=2)
    people[who].post(f"/cart/line/{sku_a.pk}/", {"quantity": "1"})
    people[who].post(f"/cart/line/{sku_a.pk}/", {"remove": "1"})
    assert CartLine.objects.get().quantity == 2


@pytest.mark.parametrize("quantity", [True, "1", 2.0, 0, 1000])
def test_the_cart_api_takes_only_json_integer_quantities(people, sku_a, quantity):
    refused = people["buyer"].post(
        "/api/v1/cart/lines",
        {"sku_id": sku_a.pk, "quantity": quantity},
        content_type="application/json",
    )

    assert refused.status_code == 422
    assert people["buyer"].get(API).json()["count"] == 0


def test_the_remembered_price_carries_its_currency(buyer, sku_a):
    SKU.objects.filter(pk=sku_a.pk).update(currency="USD", price_minor=1500)
    cart = services.cart_for_user(buyer)

    line = services.add_to_cart(cart=cart, sku_id=sku_a.pk, quantity=1)

    assert str(line.price_when_added) == str(Money(1500, "USD"))
    assert CartLine.objects.get().price_when_added_currency == "USD"
    # a later change of currency alone is a price change the cart shows
    SKU.objects.filter(pk=sku_a.pk).update(currency="CNY")
    (lv,) = cart_view(cart).groups[0].lines
    assert lv.old_price == Money(1500, "USD")


def test_unticked_lines_stay_out_of_the_checkout_and_the_total(buyer, sku_a, sku_b):
    cart = services.cart_for_user(buyer)
    services.add_to_cart(cart=cart, sku_id=sku_a.pk, quantity=2)
    services.add_to_cart(cart=cart, sku_id=sku_b.pk, quantity=1)

    services.select_lines(cart=cart, sku_ids=[sku_b.pk], selected=False)

    view = cart_view(cart)
    assert view.checkout_items() == [(sku_a.pk, 2)]
    assert view.total.minor == 2 * 9900 and view.unselected_count == 1
    services.select_lines(cart=cart, selected=True)
    assert sorted(cart_view(cart).checkout_items()) == sorted([(sku_a.pk, 2), (sku_b.pk, 1)])


def test_ticking_a_line_that_is_not_in_the_cart_is_404_and_changes_nothing(buyer, sku_a, sku_b):
    cart = services.cart_for_user(buyer)
    services.add_to_cart(cart=cart, sku_id=sku_a.pk, quantity=1)

    with pytest.raises(NotFound):
        services.select_lines(cart=cart, sku_ids=[sku_a.pk, sku_b.pk], selected=False)

    assert CartLine.objects.get().selected is True


def test_the_cart_page_unticks_a_line_without_javascript(client, buyer, sku_a, sku_b):
    client.force_login(buyer)
    cart = services.cart_for_user(buyer)
    services.add_to_cart(cart=cart, sku_id=sku_a.pk, quantity=1)
    services.add_to_cart(cart=cart, sku_id=sku_b.pk, quantity=1)

    # an unticked checkbox sends nothing: only the form's marker and the quantity
    response = client.post(f"/cart/line/{sku_b.pk}/", {"selection": "1", "quantity": "1"})

    assert response.status_code == 302
    assert not CartLine.objects.get(sku=sku_b).selected and CartLine.objects.get(sku=sku_a).selected
    html = client.get("/cart/").content.decode()
    assert "1 line is not ticked: it stays in the cart." in html
    assert 'class="thumb' in html  # every line shows a thumbnail (or its placeholder)


def test_the_cart_api_ticks_lines_and_shows_them(people, sku_a, sku_b):
    post(people["buyer"], API + "lines", {"sku_id": sku_a.pk, "quantity": 1})
    post(people["buyer"], API + "lines", {"sku_id": sku_b.pk, "quantity": 1})

    ticked = post(people["buyer"], API + "selection", {"selected": False, "sku_ids": [sku_a.pk]})

    assert ticked.status_code == 200
    lines = {ln["sku_id"]: ln for g in ticked.json()["groups"] for ln in g["lines"]}
    assert (lines[sku_a.pk]["selected"], lines[sku_b.pk]["selected"]) == (False, True)
    assert ticked.json()["total_minor"] == 25000
    assert post(people["anonymous"], API + "selection", {"selected": True}).status_code == 401


def test_a_retried_add_with_the_same_key_adds_once(people, sku_a):
    def add():
        return people["buyer"].post(
            API + "lines",
            {"sku_id": sku_a.pk, "quantity": 2},
            content_type="application/json",
            headers={"Idempotency-Key": "add-1"},
        )

    first, again = add(), add()

    assert (first.status_code, again.status_code) == (201, 201) and first.content == again.content
    assert CartLine.objects.get().quantity == 2
