"""Products and shops whose text matches are held instead of published."""

from __future__ import annotations

import pytest

from villagemarket.catalog import services as catalog
from villagemarket.catalog.models import SKU, Product
from villagemarket.core.errors import Invalid
from villagemarket.moderation import selectors, services
from villagemarket.moderation.models import Case
from villagemarket.search.service import search, search_product_ids
from villagemarket.shops import services as shops
from villagemarket.shops.models import Shop
from villagemarket.testing import client_for

from .conftest import SPAM_BLOCK

pytestmark = pytest.mark.django_db


def test_publishing_a_listing_with_a_phone_number_holds_it(alice, draft):
    catalog.update_product(alice, draft.pk, {"description": "<p>电话 13812345678</p>"})

    product = catalog.publish_product(alice, draft.pk)

    assert product.status == "held"
    assert not Product.objects.for_sale().filter(pk=draft.pk).exists()
    assert not SKU.objects.for_sale().filter(product=draft).exists()
    case = selectors.open_case("product", draft.pk)
    assert case.held and case.shop_id == draft.shop_id
    assert "13812345678" in case.matches[0]["excerpt"]
    assert "13812345678" in Product.objects.get(pk=draft.pk).moderation_reason


def test_a_clean_listing_is_published(alice, draft):
    product = catalog.publish_product(alice, draft.pk)

    assert product.status == "published"
    assert not Case.objects.exists()


def test_editing_a_published_listing_so_it_matches_holds_it_again(held_listing):
    assert Product.objects.get(pk=held_listing.pk).status == "held"
    assert selectors.open_case("product", held_listing.pk) is not None


def test_a_variant_name_that_matches_holds_the_listing(alice, listing):
    catalog.add_sku(alice, listing.pk, {"options": {"颜色": "加微信送"}, "price": "10.00"})

    assert Product.objects.get(pk=listing.pk).status == "held"


def test_attributes_are_screened_too(alice, listing):
    catalog.update_product(alice, listing.pk, {"attributes": {"联系": "QQ:12345678"}})

    assert Product.objects.get(pk=listing.pk).status == "held"


def test_a_link_stuffed_spam_listing_is_held(alice, draft):
    catalog.update_product(alice, draft.pk, {"description": SPAM_BLOCK})

    catalog.publish_product(alice, draft.pk)

    case = selectors.open_case("product", draft.pk)
    assert Product.objects.get(pk=draft.pk).status == "held"
    assert "spam" in {m["category"] for m in case.matches}


def test_a_held_listing_is_not_in_search(alice, listing):
    from villagemarket.search.index import index_product

    assert listing.pk in search_product_ids("演出服")

    catalog.update_product(alice, listing.pk, {"title": "演出服 加微信"})
    index_product(listing.pk)  # what the after-commit listener does

    assert listing.pk not in [product.pk for product in search("演出服")[:50]]


def test_the_worst_terms_are_refused_naming_the_field_and_nothing_is_saved(alice, draft):
    with pytest.raises(Invalid) as refused:
        catalog.update_product(alice, draft.pk, {"title": "出售冰毒"})

    assert refused.value.code == "prohibited_content"
    assert "title" in refused.value.fields
    assert Product.objects.get(pk=draft.pk).title == "舞蹈服"


def test_editing_a_held_listing_clean_keeps_it_held_for_the_operator(alice, held_listing):
    catalog.update_product(alice, held_listing.pk, {"description": "<p>纯棉面料</p>"})

    assert Product.objects.get(pk=held_listing.pk).status == "held"
    assert "纯棉面料" in selectors.open_case("product", held_listing.pk).text


def test_the_seller_cannot_delist_or_publish_a_held_listing(alice, held_listing):
    from villagemarket.core.errors import IllegalTransition

    with pytest.raises(IllegalTransition):
        catalog.delist_product(alice, held_listing.pk)
    with pytest.raises(IllegalTransition):
        catalog.publish_product(alice, held_listing.pk)


def test_the_seller_sees_why_on_the_product_in_the_seller_center(alice, bob, held_listing):
    url = f"/seller/products/{held_listing.shop.slug}/{held_listing.pk}/edit/"

    page = client_for(alice).get(url)

    assert page.status_code == 200
    assert "加微信" in page.content.decode()
    # a seller sees only their own held items
    assert client_for(bob).get(url).status_code == 404


def test_buyers_cannot_open_a_held_listing(buyer, held_listing):
    assert client_for(buyer).get(f"/p/{held_listing.pk}/").status_code == 404


# --- shops ---------------------------------------------------------------------------------
def test_a_shop_description_that_matches_waits_and_the_page_keeps_the_old_text(alice, shop_a):
    shops.update_shop(alice, shop_a, description="欢迎光临 加微信 abc123 更便宜")

    shop = Shop.objects.get(pk=shop_a.pk)
    assert shop.description == ""
    assert shop.held_changes == {"description": "欢迎光临 加微信 abc123 更便宜"}
    assert selectors.open_case("shop", shop.pk).held
    page = client_for(None).get(f"/shops/{shop.slug}/")
    assert "加微信" not in page.content.decode()
    settings_page = client_for(alice).get(f"/seller/{shop.slug}/settings/")
    assert "加微信" in settings_page.content.decode()


def test_a_clean_shop_name_is_saved_at_once(alice, shop_a):
    shops.update_shop(alice, shop_a, name="Alice 的演出服")

    assert Shop.objects.get(pk=shop_a.pk).name == "Alice 的演出服"
    assert not Case.objects.exists()


def test_approving_a_held_shop_text_publishes_it(alice, operator, shop_a):
    shops.update_shop(alice, shop_a, name="Alice wx: alice88")
    case = selectors.open_case("shop", shop_a.pk)

    services.decide(operator, case.pk, approve=True)

    shop = Shop.objects.get(pk=shop_a.pk)
    assert shop.name == "Alice wx: alice88" and shop.held_changes == {}


def test_rejecting_a_held_shop_text_drops_it_and_the_owner_reads_why(alice, operator, shop_a):
    shops.update_shop(alice, shop_a, name="Alice wx: alice88")
    case = selectors.open_case("shop", shop_a.pk)

    services.decide(operator, case.pk, approve=False, reason="no WeChat ids in shop names")

    shop = Shop.objects.get(pk=shop_a.pk)
    assert shop.name == "Alice 演出服" and shop.held_changes == {}
    assert shop.moderation_note == "no WeChat ids in shop names"


def test_a_new_shop_with_held_text_cannot_be_verified_before_the_case(alice, operator, village):
    from villagemarket.core.errors import Conflict

    shop = shops.open_shop(
        alice,
        name="新店",
        slug="new-shop",
        village=village,
        ship_from_address="村东头",
        phone="13800000000",
        description="更多商品见 www.example.com",
    )

    with pytest.raises(Conflict):
        shops.set_shop_status(operator, shop, "approve")
    services.decide(operator, selectors.open_case("shop", shop.pk).pk, approve=True)
    assert shops.set_shop_status(operator, shop, "approve").status == "active"
