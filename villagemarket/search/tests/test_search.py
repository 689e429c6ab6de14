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
    return {p.title for p in search_products(query)}


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
    hits = list(search_products("丁楼"))
    assert hits[0].pk == older.pk


def test_drafts_and_inactive_shops_never_found(shop_a):
    _product(shop_a, "草稿演出服", "Draft costume", status="draft")
    assert titles("演出服") == set()


def test_shops_and_villages_found(catalog, village):
    # The regions loader fills name_pinyin; the persona tree does not.
    type(village).objects.filter(pk=village.pk).update(name_pinyin="dingloucun")
    assert [s.slug for s in search_shops("alice")] == ["alice-costumes"]
    assert [v.short_name for v in search_villages("丁楼")] == ["丁楼村"]
    assert [v.short_name for v in search_villages("dinglou")] == ["丁楼村"]


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
    data = client.get("/api/v1/search/", {"q": "yrb"}).json()
    assert data["count"] == 1 and data["products"][0]["title"] == "羽绒被"
    assert data["products"][0]["village_code"] == "371721121227"
    assert (
        client.get("/api/v1/search/", {"q": "alice"}).json()["shops"][0]["slug"] == "alice-costumes"
    )
    assert (
        client.get("/api/v1/search/", {"q": "丁楼"}).json()["villages"][0]["code"] == "371721121227"
    )
