"""The one search service: parse the query, fetch candidates from the database's full-text index,
score them the same way on every backend, and hand back visible products in order.

Backends only find candidates (any query token in any field): SQLite with FTS5 (bm25 order),
PostgreSQL with a GIN-indexed tsvector (ts_rank order). Scoring is done here, on at most
CANDIDATES documents, so both databases rank identically (docs/search.md):

    text  = sum over query words of  best alternative weight x field weight
            (title 3, attributes/category/description 1.5, shop and places 1)
    cover = share of query words matched (an unmatched single Chinese character is not counted);
            a product must match at least half of them
    relevance = text x cover; below 0.35 x the best relevance of the query a product is dropped
    score = relevance + 0.3 x log10(1 + sales) + freshness (0.3, fading over 90 days)
Ties break by newest publication, then id.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from villagemarket.catalog.models import Product
from villagemarket.catalog.storefront import visible_products

from . import facets as facet_mod
from . import query as query_mod
from .models import SearchDocument

CANDIDATES = 2000
FIELD_WEIGHTS = {"title": 3.0, "body": 1.5, "place": 1.0}
MIN_COVER = 0.5
# A product far less relevant than the best one is noise (a shop name, a sub-word): dropped.
RELATIVE_FLOOR = 0.35
SALES_WEIGHT, FRESH_WEIGHT, FRESH_DAYS = 0.3, 0.3, 90


def _candidate_ids(tokens: list[str], place_code: str | None) -> list[int]:
    params: list = []
    place_sql = ""
    if place_code:
        place_sql = " AND d.village_code LIKE %s"
    if not tokens:
        if not place_code:
            return []
        return list(
            SearchDocument.objects.filter(village_code__startswith=place_code)
            .order_by("-sales", "-product_id")
            .values_list("product_id", flat=True)[:CANDIDATES]
        )
    if connection.vendor == "postgresql":
        tsquery = " | ".join(f"'{t}'" for t in tokens)
        # Only constant SQL is concatenated; the tokens travel as a parameter.
        sql = (
            "SELECT d.product_id FROM search_searchdocument d, to_tsquery('simple', %s) q "  # noqa: S608
            "WHERE d.document @@ q" + place_sql + " ORDER BY ts_rank(d.document, q) DESC LIMIT %s"
        )
        params = [tsquery]
    else:
        match = " OR ".join(f'"{t}"' for t in tokens)
        sql = (
            "SELECT d.product_id FROM search_fts f JOIN search_searchdocument d "  # noqa: S608
            "ON d.product_id = f.rowid WHERE search_fts MATCH %s"
            + place_sql
            + " ORDER BY bm25(search_fts, 3.0, 1.5, 1.0) LIMIT %s"
        )
        params = [match]
    if place_code:
        params.append(place_code + "%")
    params.append(CANDIDATES)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _freshness(published_at, now) -> float:
    if published_at is None:
        return 0.0
    age_days = max(0.0, (now - published_at).total_seconds() / 86400)
    return FRESH_WEIGHT * max(0.0, 1 - age_days / FRESH_DAYS)


def score_document(doc: SearchDocument, parsed: query_mod.ParsedQuery, now) -> tuple[float, float]:
    """(relevance, blended score) of one document; (0, 0) when it covers too little of the query."""
    fields = {name: set(getattr(doc, name).split()) for name in FIELD_WEIGHTS}
    text, matched, needed = 0.0, 0, 0
    for term in parsed.terms:
        best = 0.0
        for token, weight in term.alternatives.items():
            for name, tokens in fields.items():
                if token in tokens:
                    best = max(best, weight * FIELD_WEIGHTS[name])
        if best:
            matched += 1
            text += best
        if best or not term.optional:
            needed += 1
    if parsed.terms:
        cover = matched / needed if needed else 0.0
        if not matched or cover < MIN_COVER:
            return 0.0, 0.0
    else:
        cover, text = 1.0, 1.0  # a place alone: every product from there
    relevance = text * cover
    return relevance, (
        relevance + SALES_WEIGHT * math.log10(1 + doc.sales) + _freshness(doc.published_at, now)
    )


@dataclass
class Hit:
    """A matching product with what filters, sorts and facets need from its document."""

    product_id: int
    score: float
    stamp: float = 0.0
    category_id: int | None = None
    village_code: str = ""
    shop_id: int = 0
    price_minor: int = 0
    sales: int = 0
    ships_free: bool = False


def ranked_hits(text: str) -> tuple[list[Hit], query_mod.ParsedQuery]:
    """Every matching product id with its score, best first (ties: newest, then id)."""
    parsed = query_mod.parse(text)
    if not parsed.terms and parsed.place is None:
        return [], parsed
    ids = _candidate_ids(parsed.tokens, parsed.place.code if parsed.place else None)
    now = timezone.now()
    # Only what is for sale now: a delisted product or suspended shop vanishes before reindexing.
    visible = Product.objects.for_sale().filter(pk__in=ids).values("pk")
    docs = SearchDocument.objects.filter(product_id__in=visible)
    rows = []
    for doc in docs:
        relevance, score = score_document(doc, parsed, now)
        if relevance > 0:
            stamp = doc.published_at.timestamp() if doc.published_at else 0
            hit = Hit(
                doc.product_id,
                score,
                stamp,
                doc.category_id,
                doc.village_code,
                doc.shop_id,
                doc.price_minor,
                doc.sales,
                doc.ships_free,
            )
            rows.append((relevance, hit))
    floor = RELATIVE_FLOOR * max((r[0] for r in rows), default=0)
    hits = [hit for relevance, hit in rows if relevance >= floor]
    hits.sort(key=lambda h: (-round(h.score, 6), -h.stamp, -h.product_id))
    return hits, parsed


class RankedProducts(Sequence):
    """Search results as a sequence that pagination can count and slice; a slice loads only its
    products (with shop, village, category and images), in rank order, each with `.score`."""

    def __init__(self, hits: list[Hit], parsed: query_mod.ParsedQuery | None = None, facets=None):
        self.hits = hits
        self.parsed = parsed
        self.facets = facets

    def __len__(self) -> int:
        return len(self.hits)

    def count(self, *args) -> int:  # Paginator and ninja call count()
        return len(self.hits)

    def __getitem__(self, index):
        if isinstance(index, slice):
            hits = self.hits[index]
            products = visible_products().in_bulk([h.product_id for h in hits])
            out = []
            for hit in hits:
                product = products.get(hit.product_id)
                if product is not None:
                    product.score = round(hit.score * 100)
                    out.append(product)
            return out
        return self[index : index + 1][0] if index >= 0 else self[len(self) + index]


def search(
    text: str,
    filters: facet_mod.Filters | None = None,
    sort: str = "relevance",
    with_facets: bool = False,
) -> RankedProducts:
    """Visible products for what the buyer typed, best first (or by `sort`), narrowed by
    `filters`; with facet counts of what is left when asked."""
    hits, parsed = ranked_hits(text)
    if filters is not None:
        hits = facet_mod.apply(hits, filters)
    hits = facet_mod.sort(hits, sort)
    return RankedProducts(hits, parsed, facet_mod.counts(hits) if with_facets else None)


def search_product_ids(text: str) -> list[int]:
    return [h.product_id for h in ranked_hits(text)[0]]


__all__ = ["Product", "RankedProducts", "search", "search_product_ids"]
