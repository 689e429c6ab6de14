"""The labelled query set (tests/relevance.py) on the database the suite runs on."""

from __future__ import annotations

import pytest

from villagemarket.regions.models import Region
from villagemarket.search import service
from villagemarket.search.index import reindex
from villagemarket.testing import make_product, make_shop, make_user

from . import relevance

pytestmark = pytest.mark.django_db


def _region(code, name, short, level, parent, **extra):
    return Region.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "short_name": short,
            "level": level,
            "parent": parent,
            "province_code": code[:2],
            "prefecture_code": code[:4] if level >= 2 else "",
            "county_code": code[:6] if level >= 3 else "",
            "township_code": code[:9] if level >= 4 else "",
            **extra,
        },
    )[0]


@pytest.fixture
def labelled_catalog(village, alice, bob):
    """Shops in 丁楼村 and 胡楼村 (大集镇, Cao County), Jinxiang County and Yiwu; the listings of
    relevance.PRODUCTS in their categories."""
    from villagemarket.catalog.models import Category, Product

    hulou = Region.objects.get(code="371721121206")
    jining = _region("3708", "济宁市", "济宁市", 2, Region.objects.get(code="37"))
    jinxiang = _region("370828", "金乡县", "金乡县", 3, jining)
    town = _region("370828100", "金乡街道", "金乡街道", 4, jinxiang)
    jx_village = _region("370828100201", "王庄村民委员会", "王庄村", 5, town, is_rural=True)
    zj = _region("33", "浙江省", "浙江省", 1, None)
    jinhua = _region("3307", "金华市", "金华市", 2, zj)
    yiwu = _region("330782", "义乌市", "义乌市", 3, jinhua)
    town2 = _region("330782101", "佛堂镇", "佛堂镇", 4, yiwu)
    yw_village = _region("330782101201", "青岩刘村民委员会", "青岩刘村", 5, town2, is_rural=True)
    carol, dave = make_user("carol@example.com"), make_user("dave@example.com")
    shops = {
        "a": make_shop(alice, village, name="Alice 演出服", slug="alice-costumes"),
        "b": make_shop(bob, hulou, name="Bob 家纺", slug="bob-quilts"),
        "c": make_shop(carol, jx_village, name="王庄农产品", slug="wangzhuang"),
        "d": make_shop(dave, yw_village, name="青岩刘好货", slug="qingyanliu"),
    }
    categories = {}
    for slug, (name, name_en, parent) in relevance.CATEGORIES.items():
        categories[slug] = Category.objects.create(
            slug=f"t-{slug}", name=name, name_en=name_en, parent=categories.get(parent)
        )
    keys = {}
    for key, (title, title_en, shop, attributes) in relevance.PRODUCTS.items():
        product = make_product(shops[shop], title=title)
        Product.objects.filter(pk=product.pk).update(
            title_en=title_en,
            attributes=attributes,
            category=categories[relevance.CATEGORY_OF[key]],
        )
        keys[product.pk] = key
    reindex()
    return keys


def _run(keys, query):
    ids = service.search_product_ids(query)
    return [keys[i] for i in ids]


@pytest.mark.parametrize(("kind", "query", "expected"), relevance.QUERIES)
def test_labelled_query_finds_its_products_in_the_top_5(labelled_catalog, kind, query, expected):
    everything = _run(labelled_catalog, query)
    assert relevance.found(expected, everything[:5], everything), (query, everything[:8])


def test_relevance_report(labelled_catalog, capsys):
    results = {}
    for kind, cases in relevance.kinds().items():
        for query, expected in cases:
            everything = _run(labelled_catalog, query)
            results.setdefault(kind, []).append(
                relevance.found(expected, everything[:5], everything)
            )
    with capsys.disabled():
        print("\n" + relevance.report(results))
    assert len(relevance.QUERIES) >= 60
