"""The free-shipping facet: decided when a product is indexed (search/freight.py), counted and
filtered over hits, on the page and in the API."""

from __future__ import annotations

import pytest

from villagemarket.core.money import Money
from villagemarket.search import service
from villagemarket.search.facets import Filters
from villagemarket.search.freight import ships_free
from villagemarket.search.models import SearchDocument
from villagemarket.shipping import pricing
from villagemarket.shipping.services import save_template
from villagemarket.testing import make_product

YUAN_50 = Money(5000, "CNY")


def template(*rules, excluded=()):
    return pricing.Template(
        basis=pricing.BY_PIECE, rules=tuple(rules), excluded_provinces=frozenset(excluded)
    )


def rule(first, additional=0, free_above=None, provinces=()):
    return pricing.Rule(first, additional, free_above, frozenset(provinces))


@pytest.mark.parametrize(
    ("tpl", "free"),
    [
        (None, True),  # no template: the shop ships free everywhere
        (template(rule(0)), True),
        (template(rule(800)), False),
        (template(rule(800, free_above=5000)), True),  # ¥50 reaches the threshold
        (template(rule(800, free_above=5001)), False),
        # free to most provinces is not free shipping: a Tibet buyer would pay
        (template(rule(0), rule(1500, provinces={"54"})), False),
        # ...unless the shop does not deliver there at all
        (template(rule(0), rule(1500, provinces={"54"}), excluded={"54"}), True),
        (template(rule(1500, provinces={"54"}), excluded={"54"}), False),  # delivers nowhere
    ],
)
def test_a_listing_ships_free_when_one_piece_costs_nothing_to_every_destination(tpl, free):
    assert ships_free(tpl, YUAN_50, 500) is free


@pytest.fixture
def provinces(village):
    return village  # make_region_tree: the village and its ancestors, province "37" among them


@pytest.mark.django_db
def test_facet_counts_and_filters_products_that_ship_free(shop_a, shop_b, provinces):
    # given alice ships free above ¥50 and bob always charges ¥8
    save_template(
        shop=shop_a,
        name="包邮",
        basis="piece",
        rules=[
            {"provinces": [], "first_minor": 800, "additional_minor": 0, "free_above_minor": 5000}
        ],
    )
    save_template(
        shop=shop_b,
        name="普通",
        basis="piece",
        rules=[{"provinces": [], "first_minor": 800, "additional_minor": 200}],
    )
    dear = make_product(shop_a, title="演出服", price_minor=9900)
    cheap = make_product(shop_a, title="演出服帽子", price_minor=1500)
    bobs = make_product(shop_b, title="演出服鞋", price_minor=9900)
    documents = dict(SearchDocument.objects.values_list("product_id", "ships_free"))
    assert documents == {dear.pk: True, cheap.pk: False, bobs.pk: False}

    # when a buyer searches, then the facet counts the one that ships free
    found = service.search("演出服", with_facets=True)
    assert len(found) == 3
    assert [(v["key"], v["count"]) for v in found.facets["shipping"]] == [("free", 1)]
    # and filtering keeps only it
    narrowed = service.search("演出服", Filters(shipping="free"), with_facets=True)
    assert narrowed.product_ids() == [dear.pk]


@pytest.mark.django_db
def test_api_and_page_offer_the_free_shipping_filter(client, shop_a, shop_b, provinces):
    save_template(
        shop=shop_b,
        name="普通",
        basis="piece",
        rules=[{"provinces": [], "first_minor": 800, "additional_minor": 200}],
    )
    free = make_product(shop_a, title="演出服")  # alice has no template: ships free
    make_product(shop_b, title="演出服")

    facets = client.get("/api/v1/search/products/facets?q=演出服").json()
    assert facets["shipping"] == [
        {
            "key": "free",
            "name": "Free shipping",
            "count": 1,
            "slug": "",
            "code": "",
            "parent": "",
            "low": None,
            "high": None,
        }
    ]
    listed = client.get("/api/v1/search/products?q=演出服&shipping=free").json()
    assert [p["id"] for p in listed["items"]] == [free.pk]
    assert client.get("/api/v1/search/products?q=演出服&shipping=cheap").status_code == 422

    page = client.get("/search/?q=演出服").content.decode()
    assert 'href="?q=%E6%BC%94%E5%87%BA%E6%9C%8D&amp;shipping=free"' in page
    narrowed = client.get("/search/?q=演出服&shipping=free").content.decode()
    assert "1 product" in narrowed and "✓ Free shipping" in narrowed
