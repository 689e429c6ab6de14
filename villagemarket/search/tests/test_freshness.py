"""The index follows the catalog after commit; what is not for sale vanishes at once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction

from villagemarket.catalog import stock
from villagemarket.catalog.models import Product
from villagemarket.catalog.services.products import delist_product, publish_product, update_product
from villagemarket.catalog.services.skus import update_sku
from villagemarket.orders import services as orders
from villagemarket.orders.tests.factories import shipped_order
from villagemarket.search import service
from villagemarket.search.models import SearchDocument, Synonym
from villagemarket.shipping.services import delete_template, save_template
from villagemarket.shops.models import Shop
from villagemarket.shops.services import set_shop_status, update_shop
from villagemarket.testing import make_product
from villagemarket.testing.threads import run_together

pytestmark = pytest.mark.django_db


def ids(query):
    return service.search_product_ids(query)


def test_a_renamed_product_is_found_by_its_new_title_after_commit(
    alice, shop_a, django_capture_on_commit_callbacks
):
    # given a costume found as 演出服
    product = make_product(shop_a, title="演出服")
    # when its owner renames it to a quilt
    with django_capture_on_commit_callbacks(execute=True):
        update_product(alice, product.pk, {"title": "羽绒被"})
    # then the index follows
    assert ids("羽绒被") == [product.pk] and ids("yrb") == [product.pk]


def test_a_rolled_back_change_does_not_reach_the_index(
    alice, shop_a, django_capture_on_commit_callbacks
):
    product = make_product(shop_a, title="演出服")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        update_product(alice, product.pk, {"title": "羽绒被"})
    assert callbacks and ids("羽绒被") == []  # nothing ran: the commit never happened


def test_price_changes_reach_the_document(alice, shop_a, django_capture_on_commit_callbacks):
    product = make_product(shop_a, title="演出服", price_minor=9900)
    sku = product.skus.get()
    with django_capture_on_commit_callbacks(execute=True):
        update_sku(alice, product.pk, sku.pk, {"price": "12.00"})
    assert SearchDocument.objects.get(product_id=product.pk).price_minor == 1200


def test_delisted_products_vanish_and_come_back_when_relisted(
    alice, shop_a, django_capture_on_commit_callbacks
):
    product = make_product(shop_a, title="演出服")
    with django_capture_on_commit_callbacks(execute=False):
        delist_product(alice, product.pk)
    # at once, even before the after-commit indexer ran
    assert ids("演出服") == []
    with django_capture_on_commit_callbacks(execute=True):
        publish_product(alice, product.pk)
    assert ids("演出服") == [product.pk]


def test_a_suspended_shops_products_vanish_at_once(shop_a):
    product = make_product(shop_a, title="演出服")
    assert ids("演出服") == [product.pk]
    Shop.objects.filter(pk=shop_a.pk).update(status="suspended")
    assert ids("演出服") == []


def test_an_operators_synonym_applies_to_the_next_query_without_reindexing(shop_a):
    product = make_product(shop_a, title="演出服")
    assert ids("戏服") == []
    Synonym.objects.create(words="戏服 演出服")
    assert ids("戏服") == [product.pk]


def test_reindex_command_rebuilds_everything_and_drops_what_is_not_for_sale(shop_a):
    kept = make_product(shop_a, title="演出服")
    gone = make_product(shop_a, title="羽绒被")
    SearchDocument.objects.all().delete()
    type(gone).objects.filter(pk=gone.pk).update(status="delisted")
    call_command("search", "reindex", "--no-progress", verbosity=0)
    assert set(SearchDocument.objects.values_list("product_id", flat=True)) == {kept.pk}
    assert ids("yanchufu") == [kept.pk]


def test_a_completed_order_counts_its_units_as_sales_and_the_index_follows(
    buyer, address, sku_a, django_capture_on_commit_callbacks
):
    # given a costume nobody bought yet, shipped to a buyer who ordered 3
    with django_capture_on_commit_callbacks(execute=True):
        order = shipped_order(buyer, address, sku_a, quantity=3)
    product_id = sku_a.product_id
    assert SearchDocument.objects.get(product_id=product_id).sales == 0
    # when the buyer confirms receipt
    with django_capture_on_commit_callbacks(execute=True):
        orders.confirm_receipt(buyer=buyer, order_id=order.pk)
    # then the product sold 3, and search ranks and sorts with it without a reindex
    assert Product.objects.get(pk=product_id).sales_count == 3
    assert SearchDocument.objects.get(product_id=product_id).sales == 3


def test_a_shop_rename_reaches_its_products_documents_after_commit(
    alice, shop_a, django_capture_on_commit_callbacks
):
    product = make_product(shop_a, title="演出服")
    assert ids("锦绣坊") == []
    with django_capture_on_commit_callbacks(execute=True):
        update_shop(alice, shop_a, name="锦绣坊")
    assert ids("锦绣坊") == [product.pk]  # found by the shop's new name


def test_a_suspended_shops_documents_leave_the_index_and_return_when_reinstated(
    operator, shop_a, django_capture_on_commit_callbacks
):
    product = make_product(shop_a, title="演出服")
    with django_capture_on_commit_callbacks(execute=True):
        set_shop_status(operator, shop_a, "suspend")
    assert not SearchDocument.objects.filter(product_id=product.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        set_shop_status(operator, shop_a, "reinstate")
    assert ids("演出服") == [product.pk]


def test_free_shipping_follows_the_shops_freight_template(
    shop_a, village, django_capture_on_commit_callbacks
):
    product = make_product(shop_a, title="演出服", price_minor=9900)
    assert SearchDocument.objects.get(product_id=product.pk).ships_free  # no template: free
    with django_capture_on_commit_callbacks(execute=True):
        template = save_template(
            shop=shop_a,
            name="快递",
            basis="piece",
            rules=[{"provinces": [], "first_minor": 800, "additional_minor": 200}],
        )
    assert not SearchDocument.objects.get(product_id=product.pk).ships_free
    with django_capture_on_commit_callbacks(execute=True):
        delete_template(shop=shop_a, template_id=template.pk)
    assert SearchDocument.objects.get(product_id=product.pk).ships_free


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_orders_completing_at_once_count_every_unit_sold(shop_a):
    # given a costume in two sizes, and 12 orders of 1 + 2 units completing at the same instant
    product = make_product(shop_a, title="演出服", options={"尺码": "M"})
    medium = product.skus.get()
    large = type(medium).objects.create(product=product, options={"尺码": "L"}, price_minor=9900)

    def complete():
        with transaction.atomic():
            stock.count_sold([(medium.pk, 1), (large.pk, 2)])

    answers = run_together(*[complete] * 12)
    # then no sale is lost (guarded F() updates, not read-add-write)
    assert not any(isinstance(a, Exception) for a in answers), answers
    assert Product.objects.get(pk=product.pk).sales_count == 36
