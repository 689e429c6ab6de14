"""Search reads: products (with relevance), shops and villages, by Chinese, pinyin or English.

LIKE on the catalog's precomputed search_text (see docs/search.md): works the same on SQLite
and PostgreSQL, every term must match (AND), and a match in the title weighs most.
"""

from __future__ import annotations

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from villagemarket.catalog.models import Product
from villagemarket.catalog.storefront import visible_products
from villagemarket.regions.models import Level, Region
from villagemarket.shops.models import Shop, ShopStatus

from .terms import search_terms

TITLE_WEIGHT, TEXT_WEIGHT, PLACE_WEIGHT = 4, 2, 1


def _product_match(term: str) -> Q:
    return (
        Q(search_text__icontains=term)
        | Q(shop__name__icontains=term)
        | Q(shop__name_en__icontains=term)
        | Q(shop__village__short_name__contains=term)
        | Q(shop__village__name_pinyin__startswith=term)
    )


def _score(term: str):
    """Title (Chinese or English) > the rest of search_text > shop or village name."""
    return Case(
        When(Q(title__icontains=term) | Q(title_en__icontains=term), then=Value(TITLE_WEIGHT)),
        When(search_text__icontains=term, then=Value(TEXT_WEIGHT)),
        default=Value(PLACE_WEIGHT),
        output_field=IntegerField(),
    )


def search_products(query: str) -> QuerySet[Product]:
    """Visible products matching every term, most relevant first, then newest."""
    terms = search_terms(query)
    if not terms:
        return Product.objects.none()
    qs = visible_products()
    score = Value(0, output_field=IntegerField())
    for term in terms:
        qs = qs.filter(_product_match(term))
        score = score + _score(term)
    return qs.annotate(score=score).order_by(
        "-score", F("published_at").desc(nulls_last=True), "-created_at", "-id"
    )


def search_shops(query: str, limit: int = 8) -> list[Shop]:
    """Active shops whose name (zh or en) or village matches every term."""
    terms = search_terms(query)
    if not terms:
        return []
    qs = Shop.objects.filter(status=ShopStatus.ACTIVE).select_related("village")
    for term in terms:
        qs = qs.filter(
            Q(name__icontains=term)
            | Q(name_en__icontains=term)
            | Q(village__short_name__contains=term)
            | Q(village__name_pinyin__startswith=term)
        )
    return list(qs.order_by("-is_featured", "name", "pk")[:limit])


def search_villages(query: str, limit: int = 8) -> list[Region]:
    """Villages whose name contains every term, or whose pinyin starts with the query."""
    terms = search_terms(query)
    if not terms:
        return []
    qs = Region.objects.filter(level=Level.VILLAGE).select_related("parent")
    for term in terms:
        qs = qs.filter(Q(short_name__contains=term) | Q(name_pinyin__startswith=term))
    return list(qs.order_by("-is_featured", "code")[:limit])
