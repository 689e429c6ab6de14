"""Checkout: one payment, one order per shop, stock reserved at once or not at all."""

from __future__ import annotations

import pytest

from villagemarket.catalog.models import SKU
from villagemarket.core.errors import Conflict, Invalid, OutOfStock
from villagemarket.orders import services
from villagemarket.orders.models import CheckoutRequest, ShopOrder, ShopOrderLine
from villagemarket.orders.tests.factories import checkout
from villagemarket.payments.models import Payment
from villagemarket.shipping.models import FreightRule, FreightTemplate
from villagemarket.testing import make_product, make_user

pytestmark = pytest.mark.django_db


def test_two_shop_checkout_makes_one_payment_and_one_order_per_shop(buyer, address, sku_a, sku_b):
    result = checkout(buyer, address, (sku_a.pk, 2), (sku_b.pk, 1))

    assert Payment.objects.count() == 1
    assert result.payment.amount_minor == 2 * 9900 + 25000
    orders = ShopOrder.objects.filter(payment=result.payment).order_by("shop_id")
    assert [(o.shop_id, o.goods_minor, o.status) for o in orders] == [
        (sku_a.product.shop_id, 19800, "awaiting_payment"),
        (sku_b.product.shop_id, 25000, "awaiting_payment"),
    ]
    line = ShopOrderLine.objects.get(sku=sku_a)
    assert (line.product_title, line.unit_price_minor, line.quantity, line.line_total_minor) == (
        "演出服",
        9900,
        2,
        19800,
    )
    assert orders[0].recipient == "王芳" and "大集镇" in orders[0].region_label
    assert SKU.objects.get(pk=sku_a.pk).stock == 8
    assert SKU.objects.get(pk=sku_b.pk).stock == 4


def test_freight_of_the_shops_default_template_is_added_per_shop(buyer, address, sku_a, sku_b):
    template = FreightTemplate.objects.create(shop=sku_a.product.shop, name="全国", is_default=True)
    FreightRule.objects.create(template=template, first_minor=800, additional_minor=200)

    result = checkout(buyer, address, (sku_a.pk, 3), (sku_b.pk, 1))

    by_shop = {o.shop_id: o for o in result.orders}
    assert by_shop[sku_a.product.shop_id].freight_minor == 800 + 2 * 200
    assert by_shop[sku_b.product.shop_id].freight_minor == 0  # no template: ships free
    assert result.payment.amount_minor == 3 * 9900 + 1200 + 25000


def test_a_shop_that_does_not_deliver_to_the_province_refuses_the_checkout(buyer, address, sku_a):
    template = FreightTemplate.objects.create(
        shop=sku_a.product.shop, name="不含山东", is_default=True, excluded_provinces=["37"]
    )
    FreightRule.objects.create(template=template, first_minor=800, additional_minor=200)

    with pytest.raises(Invalid) as refused:
        checkout(buyer, address, (sku_a.pk, 1))

    assert f"shop_{sku_a.product.shop_id}" in refused.value.fields
    assert SKU.objects.get(pk=sku_a.pk).stock == 10 and not ShopOrder.objects.exists()


def test_short_stock_refuses_everything_naming_each_line_and_reserves_nothing(
    buyer, address, sku_a, sku_b
):
    with pytest.raises(OutOfStock) as refused:
        checkout(buyer, address, (sku_a.pk, 1), (sku_b.pk, 6))

    assert list(refused.value.fields) == [f"sku_{sku_b.pk}"]
    assert "5 left" in refused.value.fields[f"sku_{sku_b.pk}"][0]
    assert SKU.objects.get(pk=sku_a.pk).stock == 10
    assert not ShopOrder.objects.exists() and not Payment.objects.exists()


def test_two_lines_of_one_sku_are_one_reservation(buyer, address, sku_b):
    with pytest.raises(OutOfStock):
        checkout(buyer, address, (sku_b.pk, 3), (sku_b.pk, 3))  # 6 > 5 together
    result = checkout(buyer, address, (sku_b.pk, 2), (sku_b.pk, 3))

    assert SKU.objects.get(pk=sku_b.pk).stock == 0
    assert result.orders[0].lines.get().quantity == 5


@pytest.mark.parametrize("quantity", [0, -1, 1000, 10**12, "2", 1.5, True])
def test_zero_negative_absurd_or_non_integer_quantities_are_rejected(
    buyer, address, sku_a, quantity
):
    with pytest.raises(Invalid) as refused:
        checkout(buyer, address, (sku_a.pk, quantity))

    assert "items.0.quantity" in refused.value.fields
    assert SKU.objects.get(pk=sku_a.pk).stock == 10 and not ShopOrder.objects.exists()


def test_delisted_product_inactive_shop_or_inactive_sku_cannot_be_bought(
    buyer, address, shop_a, shop_b
):
    delisted = make_product(shop_a, title="下架", status="delisted").skus.get()
    shop_b.status = "suspended"
    shop_b.save()
    closed_shop = make_product(shop_b, title="暂停").skus.get()
    inactive = make_product(shop_a, title="停用").skus.get()
    SKU.objects.filter(pk=inactive.pk).update(is_active=False)

    with pytest.raises(Conflict) as refused:
        checkout(buyer, address, (delisted.pk, 1), (closed_shop.pk, 1), (inactive.pk, 1))

    assert set(refused.value.fields) == {f"sku_{s.pk}" for s in (delisted, closed_shop, inactive)}
    assert not ShopOrder.objects.exists()


def test_someone_elses_address_cannot_be_used(address, sku_a):
    other = make_user("other@example.com")
    with pytest.raises(Invalid) as refused:
        checkout(other, address, (sku_a.pk, 1))
    assert "address_id" in refused.value.fields
    assert SKU.objects.get(pk=sku_a.pk).stock == 10


def test_a_resubmitted_checkout_form_returns_the_same_orders(buyer, address, sku_a):
    first = checkout(buyer, address, (sku_a.pk, 1), token="form:k-1")
    again = checkout(buyer, address, (sku_a.pk, 1), token="form:k-1")

    assert again.replayed and again.payment.pk == first.payment.pk
    assert [o.pk for o in again.orders] == [o.pk for o in first.orders]
    assert ShopOrder.objects.count() == 1 and SKU.objects.get(pk=sku_a.pk).stock == 9


def test_a_refused_checkout_does_not_burn_its_form_token(buyer, address, sku_a):
    with pytest.raises(OutOfStock):
        checkout(buyer, address, (sku_a.pk, 11), token="form:k-2")
    assert not CheckoutRequest.objects.exists()
    assert checkout(buyer, address, (sku_a.pk, 10), token="form:k-2").replayed is False


def test_form_tokens_are_per_buyer(buyer, address, sku_a):
    other = make_user("other@example.com")
    from villagemarket.orders.services import save_address

    other_address = save_address(
        user=other, region_code="371721121", detail="胡楼村", recipient="李", mobile="13800001111"
    )
    checkout(buyer, address, (sku_a.pk, 1), token="form:same")
    theirs = checkout(other, other_address, (sku_a.pk, 1), token="form:same")
    assert not theirs.replayed and ShopOrder.objects.count() == 2


@pytest.mark.parametrize("status", ["draft", "delisted"])
def test_a_checkout_naming_a_product_not_for_sale_does_not_echo_its_title(
    buyer, address, shop_b, status
):
    secret = make_product(shop_b, title="未发布的秘密新品", status=status).skus.get()

    with pytest.raises(Conflict) as refused:
        checkout(buyer, address, (secret.pk, 1))

    said = str(refused.value.as_dict())
    assert "未发布的秘密新品" not in said and "Stage costume" not in said
    assert refused.value.fields == {f"sku_{secret.pk}": ["An item is no longer available."]}
    assert SKU.objects.get(pk=secret.pk).stock == 10 and not ShopOrder.objects.exists()


def test_a_checkout_naming_a_sku_that_does_not_exist_reads_the_same(buyer, address):
    with pytest.raises(Conflict) as refused:
        checkout(buyer, address, (987654, 1))

    assert refused.value.fields == {"sku_987654": ["An item is no longer available."]}


@pytest.mark.parametrize(
    "note, reason",
    [("x" * 201, "At most 200"), ("a\x00b", "control characters"), ("\x1b[31m", "control")],
)
def test_a_bad_note_to_the_seller_refuses_the_checkout_naming_it(
    buyer, address, sku_a, note, reason
):
    shop_id = sku_a.product.shop_id
    with pytest.raises(Invalid) as refused:
        services.place_order(
            buyer=buyer, address_id=address.pk, items=[(sku_a.pk, 1)], notes={shop_id: note}
        )
    assert reason in refused.value.fields[f"note_{shop_id}"][0]
    assert not ShopOrder.objects.exists() and SKU.objects.get(pk=sku_a.pk).stock == 10


def test_a_note_for_a_shop_outside_the_checkout_is_refused(buyer, address, sku_a, sku_b):
    other = sku_b.product.shop_id
    with pytest.raises(Invalid) as refused:
        services.place_order(
            buyer=buyer, address_id=address.pk, items=[(sku_a.pk, 1)], notes={other: "hi"}
        )
    assert f"note_{other}" in refused.value.fields
