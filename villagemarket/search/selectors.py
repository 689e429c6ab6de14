"""Search reads: products (with relevance), shops and villages, by Chinese, pinyin or English.

LIKE on the catalog's precomputed search_text (see docs/search.md): works the same on SQLite
and PostgreSQL, every term must match (AND), and a match in the title weighs most.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from villagemarket.catalog.models import Product
from villagemarket.catalog.storefront import visible_products
from villagemarket.regions.models import Level, Region
from villagemarket.shops import selectors as shop_selectors
from villagemarket.shops.models import Shop

TITLE_WEIGHT, TEXT_WEIGHT, PLACE_WEIGHT = 4, 2, 1
# Callers split the query once with search.terms.search_terms and pass the terms to each selector.
Terms = Sequence[str]


def _village_match(term: str, path: str = "") -> Q:
    """A village (reached through `path`, e.g. "shop__village__") named like the term: its name
    contains it or its pinyin starts with it."""
    return Q(**{f"{path}short_name__contains": term}) | Q(
        **{f"{path}name_pinyin__startswith": term}
    )


def _shop_match(term: str, path: str = "") -> Q:
    """A shop (reached through `path`, e.g. "shop__") whose name (zh or en) or village matches."""
    return (
        Q(**{f"{path}name__icontains": term})
        | Q(**{f"{path}name_en__icontains": term})
        | _village_match(term, f"{path}village__")
    )


def _product_match(term: str) -> Q:
    return Q(search_text__icontains=term) | _shop_match(term, "shop__")


def _score(term: str):
    """Title (Chinese or English) > the rest of search_text > shop or village name."""
    return Case(
        When(Q(title__icontains=term) | Q(title_en__icontains=term), then=Value(TITLE_WEIGHT)),
        When(search_text__icontains=term, then=Value(TEXT_WEIGHT)),
        default=Value(PLACE_WEIGHT),
        output_field=IntegerField(),
    )


def search_products(terms: Terms) -> QuerySet[Product]:
    """Visible products matching every term, most relevant first, then newest."""
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


def matching_shops(terms: Terms) -> QuerySet[Shop]:
    """Active shops whose name (zh or en) or village matches every term, featured first."""
    if not terms:
        return Shop.objects.none()
    qs = shop_selectors.active_shops()
    for term in terms:
        qs = qs.filter(_shop_match(term))
    return qs.order_by("-is_featured", "name", "pk")


def search_shops(terms: Terms, limit: int = 8) -> list[Shop]:
    """The first `limit` matching shops (the results page shows a few beside the products)."""
    return list(matching_shops(terms)[:limit])


def matching_villages(terms: Terms) -> QuerySet[Region]:
    """Villages whose name contains every term, or whose pinyin starts with it, featured first."""
    if not terms:
        return Region.objects.none()
    qs = Region.objects.filter(level=Level.VILLAGE).select_related("parent")
    for term in terms:
        qs = qs.filter(_village_match(term))
    return qs.order_by("-is_featured", "code")


def search_villages(terms: Terms, limit: int = 8) -> list[Region]:
    """The first `limit` matching villages."""
    return list(matching_villages(terms)[:limit])
