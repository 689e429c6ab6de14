"""Search reads: products (through the index, see search.service and docs/search.md), shops and
villages (every term must match their name, zh or en, or pinyin).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q, QuerySet

from villagemarket.regions.models import Level, Region
from villagemarket.shops import selectors as shop_selectors
from villagemarket.shops.models import Shop

from . import service
from .facets import Filters
from .service import RankedProducts

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


def search_products(
    query: str, filters: Filters | None = None, sort: str = "relevance", with_facets: bool = False
) -> RankedProducts:
    """Visible products for what the buyer typed, most relevant first (search.service)."""
    return service.search(query, filters, sort, with_facets)


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
