"""Catalog use-cases: households, publishing rules, variants, prices, moderation."""

from __future__ import annotations

import pytest

from villagemarket.catalog import services
from villagemarket.catalog.models import SKU, Product
from villagemarket.core.errors import Conflict, Forbidden, IllegalTransition, Invalid, NotFound
from villagemarket.shops.models import Household
from villagemarket.testing import make_shop


@pytest.fixture
def service_point(alice, village):
    return make_shop(
        alice, village, name="丁楼服务站", slug="dinglou-station", kind="service_point"
    )


def new(user, shop, category, **extra):
    return services.create_product(
        user, shop, {"title": "丁楼演出服", "category": category.pk, **extra}
    )


def test_new_product_is_a_draft_with_search_text(alice, shop_a, category):
    product = new(alice, shop_a, category, title_en="Stage Costume")
    assert product.status == "draft"
    assert product.search_text == "丁楼演出服 stage costume 丁楼 演出服 dinglou yanchufu dlycf"


def test_service_point_must_name_one_of_its_households(alice, bob, service_point, shop_b, category):
    with pytest.raises(Invalid) as missing:
        new(alice, service_point, category)
    assert "household" in missing.value.fields
    bobs = Household.objects.create(shop=shop_b, name="Bob家", village=shop_b.village)
    with pytest.raises(Invalid) as foreign:
        new(alice, service_point, category, household=bobs.pk)
    assert "household" in foreign.value.fields
    mine = Household.objects.create(shop=service_point, name="丁家", village=service_point.village)
    assert new(alice, service_point, category, household=mine.pk).household == mine


def test_household_is_refused_for_an_ordinary_shop(alice, shop_a, service_point, category):
    mine = Household.objects.create(shop=service_point, name="丁家", village=service_point.village)
    with pytest.raises(Invalid) as refused:
        new(alice, shop_a, category, household=mine.pk)
    assert "household" in refused.value.fields


def test_missing_title_and_category_are_both_named(alice, shop_a):
    with pytest.raises(Invalid) as refused:
        services.create_product(alice, shop_a, {"title": "  ", "category": 999})
    assert set(refused.value.fields) == {"title", "category"}
    assert not Product.objects.exists()


def test_perishable_goods_do_not_offer_7_day_returns(alice, shop_a, category):
    product = new(alice, shop_a, category, is_perishable=True, returns_7day=True)
    assert product.returns_7day is False


def test_publish_needs_a_variant_and_sets_min_price(alice, shop_a, category):
    product = new(alice, shop_a, category)
    with pytest.raises(Invalid) as refused:
        services.publish_product(alice, product.pk)
    assert "skus" in refused.value.fields
    services.add_sku(alice, product.pk, {"options": {"尺码": "L"}, "price": "120", "stock": 1})
    services.add_sku(alice, product.pk, {"options": "尺码=M", "price": "99.90", "stock": 1})
    product = services.publish_product(alice, product.pk)
    assert product.status == "published" and product.min_price_minor == 9990
    with pytest.raises(IllegalTransition):
        services.publish_product(alice, product.pk)


def test_pending_shop_may_publish_but_suspended_may_not(alice, village, category):
    shop = make_shop(alice, village, name="新店", slug="new-shop", status="pending")
    product = new(alice, shop, category)
    services.add_sku(alice, product.pk, {"price": "10", "stock": 1})
    assert services.publish_product(alice, product.pk).status == "published"
    services.delist_product(alice, product.pk)
    shop.status = "suspended"
    shop.save()
    with pytest.raises(Conflict):
        services.publish_product(alice, product.pk)


def test_delist_and_relist(alice, alice_product):
    assert services.delist_product(alice, alice_product.pk).status == "delisted"
    with pytest.raises(IllegalTransition):
        services.delist_product(alice, alice_product.pk)
    assert services.relist_product(alice, alice_product.pk).status == "published"


def test_operator_delist_needs_a_reason_and_the_seller_cannot_relist(
    alice, operator, alice_product
):
    with pytest.raises(Invalid):
        services.moderate_delist(operator, alice_product.pk, " ")
    with pytest.raises(Forbidden):
        services.moderate_delist(alice, alice_product.pk, "counterfeit")
    product = services.moderate_delist(operator, alice_product.pk, "counterfeit brand")
    assert product.status == "delisted" and product.moderation_reason == "counterfeit brand"
    with pytest.raises(Conflict) as refused:
        services.publish_product(alice, alice_product.pk)
    assert refused.value.code == "moderated"
    assert services.moderate_publish(operator, alice_product.pk).status == "published"


@pytest.mark.parametrize(
    "price, reason",
    [
        ("abc", "not a price like 12.50"),
        ("1.234", "not a price like 12.50"),
        ("0", "must be above zero"),
        ("-1", "must be above zero"),
        ("", "required"),
        ("1000000000", "too high"),
        ("1e9", "not a price like 12.50"),
    ],
)
def test_price_errors_are_named(alice, alice_product, price, reason):
    with pytest.raises(Invalid) as refused:
        services.add_sku(alice, alice_product.pk, {"price": price, "stock": 1})
    assert refused.value.fields["price"] == [reason]
    assert alice_product.skus.count() == 1


def test_duplicate_variant_options_are_refused(alice, alice_product):
    services.add_sku(alice, alice_product.pk, {"options": {"尺码": "L"}, "price": "1", "stock": 0})
    with pytest.raises(Invalid) as refused:
        services.add_sku(alice, alice_product.pk, {"options": "尺码=L", "price": "2", "stock": 0})
    assert "options" in refused.value.fields


def test_update_sku_changes_price_and_min_price(alice, alice_product, sku):
    services.update_sku(alice, alice_product.pk, sku.pk, {"price": "49.50"})
    assert Product.objects.get(pk=alice_product.pk).min_price_minor == 4950


def test_last_variant_of_a_published_product_cannot_go(alice, alice_product, sku):
    with pytest.raises(Invalid):
        services.remove_sku(alice, alice_product.pk, sku.pk)
    services.delist_product(alice, alice_product.pk)
    services.remove_sku(alice, alice_product.pk, sku.pk)
    assert not SKU.objects.filter(pk=sku.pk).exists()


def test_bob_cannot_touch_alices_product_through_services(bob, shop_b, alice_product, sku):
    for call in (
        lambda: services.update_product(bob, alice_product.pk, {"title": "x"}),
        lambda: services.publish_product(bob, alice_product.pk),
        lambda: services.delist_product(bob, alice_product.pk),
        lambda: services.add_sku(bob, alice_product.pk, {"price": "1"}),
        lambda: services.adjust_stock(bob, alice_product.pk, sku.pk, delta=-1),
        lambda: services.create_product(bob, alice_product.shop, {"title": "x", "category": 1}),
    ):
        with pytest.raises(NotFound):
            call()
    assert Product.objects.get(pk=alice_product.pk).status == "published"
    assert SKU.objects.get(pk=sku.pk).stock == 10


def test_rebuild_search_text_command_fills_pinyin_and_min_price(alice_product, sku):
    from django.core.management import call_command

    Product.objects.filter(pk=alice_product.pk).update(search_text="", min_price_minor=1)
    call_command("rebuild_search_text", verbosity=0)
    product = Product.objects.get(pk=alice_product.pk)
    assert "dlycf" in product.search_text and product.min_price_minor == 9900
