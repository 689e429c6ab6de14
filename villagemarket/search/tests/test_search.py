"""Search by Chinese (jieba words), pinyin (full and initials) and English; all terms must match."""

from __future__ import annotations

import pytest
from django.urls import reverse

from villagemarket.catalog.models import Product
from villagemarket.catalog.searchtext import build_search_text
from villagemarket.search.selectors import search_products, search_shops, search_villages
from villagemarket.search.terms import MAX_TERMS, search_terms
from villagemarket.testing import make_product

pytestmark = pytest.mark.django_db


def _product(shop, title, title_en, **kw):
    p = make_product(shop, title=title, **kw)
    Product.objects.filter(pk=p.pk).update(
        title_en=title_en, search_text=build_search_text(title, title_en)
    )
    return p


@pytest.fixture
def catalog(shop_a, shop_b):
    return {
        "costume": _product(shop_a, "丁楼演出服", "Dinglou stage costume"),
        "quilt": _product(shop_b, "羽绒被", "Down quilt"),
        "garlic": _product(shop_b, "金乡大蒜", "Jinxiang garlic"),
    }


def titles(query):
    return {p.title for p in search_products(search_terms(query))}


def test_terms_split_chinese_with_jieba_and_latin_by_words():
    assert search_terms("丁楼演出服") == ["丁楼", "演出服"]
    assert search_terms("  Down QUILT ") == ["down", "quilt"]
    assert search_terms("羽绒被 dl") == ["羽绒被", "dl"]
    assert len(search_terms("a b c d e f g h i j")) == MAX_TERMS
    assert search_terms("   ") == [] and search_terms("!!!") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("演出服", {"丁楼演出服"}),
        ("演出服丁楼", {"丁楼演出服"}),  # words in any order
        ("dinglou", {"丁楼演出服"}),  # full pinyin
        ("yurongbei", {"羽绒被"}),
        ("dlycf", {"丁楼演出服"}),  # initials
        ("yrb", {"羽绒被"}),
        ("garlic", {"金乡大蒜"}),  # English
        ("Down Quilt", {"羽绒被"}),
        ("down garlic", set()),  # AND: both terms must match
        ("不存在的东西", set()),
    ],
)
def test_product_search(catalog, query, expected):
    assert titles(query) == expected


def test_shop_and_village_names_match_products(catalog):
    # 丁楼村 is where both shops ship from; "Bob" names shop_b.
    assert titles("丁楼村") == {"丁楼演出服", "羽绒被", "金乡大蒜"}
    assert titles("bob 大蒜") == {"金乡大蒜"}


def test_title_matches_rank_above_place_matches(shop_a, shop_b):
    _product(shop_b, "普通被子", "Plain quilt")  # matches "alice"? no; matches only via title
    older = _product(shop_b, "丁楼羽绒被", "Dinglou down quilt")  # "丁楼" in the title
    _product(shop_a, "床单", "Bed sheet")  # newer, "丁楼" only through its village
    hits = list(search_products(["丁楼"]))
    assert hits[0].pk == older.pk


def test_drafts_and_inactive_shops_never_found(shop_a):
    _product(shop_a, "草稿演出服", "Draft costume", status="draft")
    assert titles("演出服") == set()


def test_shops_and_villages_found(catalog, village):
    # The regions loader fills name_pinyin; the persona tree does not.
    type(village).objects.filter(pk=village.pk).update(name_pinyin="dingloucun")
    assert [s.slug for s in search_shops(["alice"])] == ["alice-costumes"]
    assert [v.short_name for v in search_villages(["丁楼"])] == ["丁楼村"]
    assert [v.short_name for v in search_villages(["dinglou"])] == ["丁楼村"]


def test_results_page(client, catalog):
    # a Chinese-speaking buyer sees the Chinese titles
    html = client.get(
        reverse("search:results"), {"q": "dinglou"}, HTTP_ACCEPT_LANGUAGE="zh-CN"
    ).content.decode()
    assert "丁楼演出服" in html and "羽绒被" not in html


def test_empty_query_page_shows_hint(client, catalog):
    response = client.get(reverse("search:results"), {"q": ""})
    assert response.status_code == 200 and "丁楼演出服" not in response.content.decode()


def test_api_search(client, catalog):
    data = client.get("/api/v1/search/products", {"q": "yrb"}).json()
    assert data["count"] == 1 and data["items"][0]["title"] == "羽绒被"
    assert data["items"][0]["village_code"] == "371721121227"
    assert data["items"][0]["price_minor"] == 9900 and data["items"][0]["currency"] == "CNY"
    shops = client.get("/api/v1/search/shops", {"q": "alice"}).json()
    assert shops["items"][0]["slug"] == "alice-costumes" and shops["count"] == 1
    villages = client.get("/api/v1/search/villages", {"q": "丁楼"}).json()
    assert villages["items"][0]["code"] == "371721121227"


def test_api_search_lists_paginate_like_every_list(client, catalog):
    first = client.get("/api/v1/search/products", {"q": "dinglou", "size": 1}).json()
    assert set(first) == {"items", "count", "page", "pages"}
    assert first["pages"] == first["count"] and len(first["items"]) == 1
    assert client.get("/api/v1/search/products", {"q": "x", "size": 101}).status_code == 422


@pytest.mark.parametrize("q", ["丁楼\x00", "a\x1bb", "x" * 101])
@pytest.mark.parametrize("what", ["products", "shops", "villages"])
def test_api_search_refuses_control_characters_and_long_queries(client, catalog, what, q):
    response = client.get(f"/api/v1/search/{what}", {"q": q})
    assert response.status_code == 422 and "q" in response.json()["fields"]


@pytest.mark.parametrize("url", ["/search/?q=丁楼 dl", "/api/v1/search/products?q=丁楼 dl"])
def test_a_request_splits_the_query_into_terms_once(client, catalog, url):
    from unittest import mock

    from villagemarket.search import terms

    with (
        mock.patch("villagemarket.search.views.search_terms", wraps=terms.search_terms) as page,
        mock.patch("villagemarket.search.api.search_terms", wraps=terms.search_terms) as api,
    ):
        response = client.get(url)
    assert response.status_code == 200
    assert page.call_count + api.call_count == 1


def test_shops_and_their_products_match_a_place_by_the_same_rule(catalog, village):
    # given both shops in 丁楼村 (pinyin dingloucun); product texts never name the village or shop
    type(village).objects.filter(pk=village.pk).update(name_pinyin="dingloucun")
    for term in ("dingloucun", "丁楼村", "bob", "alice"):
        # then a shop matches a place term exactly when its products match through the shop
        shops = {s.slug for s in search_shops([term])}
        assert shops == {p.shop.slug for p in search_products([term])}
    assert {s.slug for s in search_shops(["dingloucun"])} == {"alice-costumes", "bob-quilts"}
    assert {s.slug for s in search_shops(["bob"])} == {"bob-quilts"}
