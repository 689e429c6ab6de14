"""One rule for "this SKU is for sale" and one quantity limit for cart and checkout."""

from __future__ import annotations

import itertools

import pytest
from pydantic import TypeAdapter, ValidationError

from villagemarket.catalog import rules
from villagemarket.catalog.models import SKU, Product
from villagemarket.core.errors import Invalid
from villagemarket.shops.models import Shop
from villagemarket.testing import make_product

CASES = list(
    itertools.product(
        [True, False], ["draft", "published", "delisted"], ["active", "pending", "suspended"]
    )
)


@pytest.mark.parametrize(("sku_active", "product_status", "shop_status"), CASES)
def test_the_filter_and_the_single_sku_rule_agree(shop_a, sku_active, product_status, shop_status):
    # given a SKU in one combination of SKU, product and shop state
    product = make_product(shop_a, status=product_status)
    sku = product.skus.get()
    SKU.objects.filter(pk=sku.pk).update(is_active=sku_active)
    Shop.objects.filter(pk=shop_a.pk).update(status=shop_status)
    # when both forms of the rule judge it
    in_filter = SKU.objects.for_sale().filter(pk=sku.pk).exists()
    row = SKU.objects.select_related("product__shop").get(pk=sku.pk)
    # then they agree, and only the one fully open combination is for sale
    expected = sku_active and product_status == "published" and shop_status == "active"
    assert in_filter is row.is_for_sale is expected
    product_row = Product.objects.select_related("shop").get(pk=product.pk)
    assert Product.objects.for_sale().filter(pk=product.pk).exists() is product_row.is_for_sale
    assert product_row.is_for_sale is (product_status == "published" and shop_status == "active")


def test_a_sold_out_sku_is_still_for_sale(shop_a):
    sku = make_product(shop_a, stock=0).skus.get()
    assert SKU.objects.for_sale().filter(pk=sku.pk).exists()


def test_the_refusal_says_whether_the_shop_or_the_item_stopped_selling():
    assert rules.sale_refusal(sku_active=True, product_status="published", shop_active=True) == ""
    assert (
        rules.sale_refusal(sku_active=True, product_status="published", shop_active=False)
        == rules.SHOP_NOT_SELLING
    )
    assert (
        rules.sale_refusal(sku_active=False, product_status="published", shop_active=True)
        == rules.NOT_SOLD
    )
    assert (
        rules.sale_refusal(sku_active=True, product_status="delisted", shop_active=True)
        == rules.NOT_SOLD
    )


@pytest.mark.parametrize("quantity", [1, 2, rules.MAX_LINE_QUANTITY])
def test_whole_quantities_in_range_are_accepted(quantity):
    assert rules.check_quantity(quantity) == quantity
    assert TypeAdapter(rules.Quantity).validate_python(quantity) == quantity


@pytest.mark.parametrize(
    "quantity", [0, -1, rules.MAX_LINE_QUANTITY + 1, 2**63, True, False, "1", 2.0, 1.5, None]
)
def test_other_quantities_are_refused_naming_the_field(quantity):
    with pytest.raises(Invalid) as refused:
        rules.check_quantity(quantity, field="items.0.quantity")
    assert refused.value.fields == {"items.0.quantity": ["Out of range."]}
    assert str(rules.MAX_LINE_QUANTITY) in refused.value.message
    with pytest.raises(ValidationError):
        TypeAdapter(rules.Quantity).validate_python(quantity)


@pytest.mark.parametrize("body", ['{"q": true}', '{"q": "1"}', '{"q": 2.0}', '{"q": 1000}'])
def test_a_json_quantity_must_be_a_json_integer(body):
    from pydantic import BaseModel

    class Line(BaseModel):
        q: rules.Quantity

    with pytest.raises(ValidationError):
        Line.model_validate_json(body)
    assert Line.model_validate_json('{"q": 3}').q == 3


def test_zero_is_allowed_only_where_it_means_remove():
    assert rules.check_quantity(0, allow_zero=True) == 0
    assert TypeAdapter(rules.QuantityOrZero).validate_python(0) == 0
    with pytest.raises(ValidationError):
        TypeAdapter(rules.QuantityOrZero).validate_python(-1)
