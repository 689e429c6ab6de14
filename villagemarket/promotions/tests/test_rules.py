"""Stacking and validation: what a seller or an operator may not create, named by field, and
that a refused promotion changes nothing."""

from __future__ import annotations

import pytest

from villagemarket.core.errors import Conflict, Invalid, NotFound
from villagemarket.promotions import rules, services
from villagemarket.promotions.models import Coupon, SalePrice, SpendSave

from .conftest import festival_spend_save, shop_coupon, window

pytestmark = pytest.mark.django_db


def test_stacking_order_is_data_sale_price_first_platform_coupon_last():
    assert [s.kind for s in rules.STACKING] == [
        "sale_price",
        "shop_spend_save",
        "shop_coupon",
        "platform_spend_save",
        "platform_coupon",
    ]
    assert all(step.at_most == 1 for step in rules.STACKING)
    assert rules.EXCLUDES["sale_price"] == {"shop_spend_save"}


@pytest.mark.parametrize(
    "change, field",
    [
        ({"amount_minor": 0}, "amount"),
        ({"amount_minor": 10000}, "threshold"),  # threshold must exceed the amount off
        ({"threshold_minor": 500}, "threshold"),
        ({"per_buyer_limit": 0}, "per_buyer_limit"),
        ({"per_buyer_limit": 11}, "per_buyer_limit"),
        ({"total_quantity": 0}, "total_quantity"),
        ({"total_quantity": None}, "total_quantity"),  # neither a quantity nor a budget
        ({"total_quantity": None, "budget_minor": 500}, "budget"),  # less than one coupon
        (window(3, 2), "ends_at"),
        (window(0, 120), "ends_at"),
    ],
)
def test_a_coupon_breaking_a_rule_is_refused_naming_the_field(shop_a, alice, change, field):
    with pytest.raises(Invalid) as refused:
        shop_coupon(shop_a, alice, **change)
    assert field in refused.value.fields
    assert not Coupon.objects.exists()


def test_a_claimed_coupon_keeps_its_amount_and_minimum(coupon_a, alice, buyer, shop_a):
    services.claim_coupon(buyer=buyer, coupon_id=coupon_a.pk)
    with pytest.raises(Invalid) as refused:
        shop_coupon(shop_a, alice, coupon_id=coupon_a.pk, amount_minor=2000)
    assert "amount" in refused.value.fields
    assert Coupon.objects.get().amount_minor == 1000
    renamed = shop_coupon(shop_a, alice, coupon_id=coupon_a.pk, name="新名字", total_quantity=200)
    assert (renamed.name, renamed.total_quantity) == ("新名字", 200)


def test_bob_cannot_change_alices_coupon(coupon_a, bob, shop_b):
    with pytest.raises(NotFound):
        shop_coupon(shop_b, bob, coupon_id=coupon_a.pk, name="bob's")
    assert Coupon.objects.get().name == "满100减10"


def spend_save(shop, user, **change):
    fields = {
        "name": "满减",
        "tiers": [
            {"threshold_minor": 10000, "save_minor": 1000},
            {"threshold_minor": 20000, "save_minor": 2500},
        ],
        **window(),
        **change,
    }
    return services.save_shop_spend_save(shop=shop, user=user, **fields)


@pytest.mark.parametrize(
    "tiers",
    [
        [],
        [{"threshold_minor": 1000, "save_minor": 1000}],  # threshold not above the saving
        [
            {"threshold_minor": 10000, "save_minor": 1000},
            {"threshold_minor": 20000, "save_minor": 900},  # a bigger cart would save less
        ],
        [{"threshold_minor": 10000, "save_minor": 1000}] * 2,
        [{"threshold_minor": 10000 * n, "save_minor": 100 * n} for n in range(1, 7)],
        [{"threshold_minor": "lots"}],
    ],
)
def test_spend_save_tiers_must_be_sensible(shop_a, alice, tiers):
    with pytest.raises(Invalid) as refused:
        spend_save(shop_a, alice, tiers=tiers)
    assert "tiers" in refused.value.fields
    assert not SpendSave.objects.exists()


def test_every_full_x_takes_one_tier(shop_a, alice):
    with pytest.raises(Invalid) as refused:
        spend_save(shop_a, alice, every=True)
    assert "tiers" in refused.value.fields


def test_two_spend_saves_of_one_shop_may_not_overlap(shop_a, shop_b, alice, bob):
    spend_save(shop_a, alice)
    with pytest.raises(Invalid) as refused:
        spend_save(shop_a, alice, **window(3, 10))
    assert "starts_at" in refused.value.fields
    spend_save(shop_a, alice, **window(7, 10))  # back to back is fine
    spend_save(shop_b, bob)  # another shop's is its own business
    assert SpendSave.objects.count() == 3


def test_two_cross_shop_spend_saves_may_not_overlap(shop_a):
    festival_spend_save()
    with pytest.raises(Invalid) as refused:
        festival_spend_save([shop_a])
    assert "starts_at" in refused.value.fields


def test_a_cross_shop_spend_save_names_its_shops(village):
    with pytest.raises(Invalid) as refused:
        festival_spend_save(all_shops=False)
    assert "shops" in refused.value.fields


def test_a_sale_price_is_below_the_price_for_the_shops_own_sku(shop_a, alice, sku_a, sku_b):
    def sale(**change):
        fields = {"name": "特价", "sku_id": sku_a.pk, "price_minor": 7900, **window(), **change}
        return services.save_sale_price(shop=shop_a, user=alice, **fields)

    with pytest.raises(Invalid) as refused:
        sale(price_minor=9900)
    assert "price" in refused.value.fields
    with pytest.raises(Invalid) as refused:
        sale(sku_id=sku_b.pk)  # bob's SKU
    assert "sku" in refused.value.fields
    sale()
    with pytest.raises(Invalid) as refused:
        sale(**window(2, 5))
    assert "starts_at" in refused.value.fields
    assert SalePrice.objects.count() == 1


def test_ending_a_promotion_stops_it_and_it_cannot_change_after(coupon_a, shop_a, alice):
    services.end_promotion(shop=shop_a, kind="coupons", promotion_id=coupon_a.pk)
    coupon_a.refresh_from_db()
    assert coupon_a.state() == "ended"
    with pytest.raises(Conflict):
        shop_coupon(shop_a, alice, coupon_id=coupon_a.pk, name="again")
    with pytest.raises(NotFound):
        services.end_promotion(shop=shop_a, kind="nonsense", promotion_id=coupon_a.pk)
