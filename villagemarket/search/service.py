"""The one search service: parse the query, rank the matching documents with the formula of
search.ranking (docs/search.md), and hand back visible products in order.

- PostgreSQL ranks, counts and groups facets in SQL (search/pg.py): a query touches only the
  documents holding one of its words and sends back one page.
- SQLite (a trial catalog) finds at most CANDIDATES candidates with FTS5 (bm25 order) and scores
  them here in Python with the same functions of search.ranking.
Both pass the same tests, including the labelled query set. Ties break by newest, then id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from villagemarket.catalog.models import Product
from villagemarket.catalog.storefront import visible_products

from . import facets as facet_mod
from . import pg, ranking
from . import query as query_mod
from .models import SearchDocument

# SQLite only: how many FTS5 candidates are scored in Python.
CANDIDATES = 2000


def _candidate_ids(tokens: list[str], place_code: str | None) -> list[int]:
    """SQLite: at most CANDIDATES documents holding any token, best bm25 first."""
    if not tokens:
        if not place_code:
            return []
        return list(
            SearchDocument.objects.filter(village_code__startswith=place_code)
            .order_by("-sales", "-product_id")
            .values_list("product_id", flat=True)[:CANDIDATES]
        )
    match = " OR ".join(f'"{t}"' for t in tokens)
    params: list = [match]
    place_sql = ""
    if place_code:
        place_sql = " AND d.village_code LIKE %s"
        params.append(place_code + "%")
    params.append(CANDIDATES)
    sql = (
        "SELECT d.product_id FROM search_fts f JOIN search_searchdocument d "  # noqa: S608
        "ON d.product_id = f.rowid WHERE search_fts MATCH %s"
        + place_sql
        + " ORDER BY bm25(search_fts, 3.0, 1.5, 1.0) LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def score_document(doc: SearchDocument, parsed: query_mod.ParsedQuery, now) -> tuple[float, float]:
    """(relevance, blended score) of one document; (0, 0) when it covers too little of the query."""
    fields = {name: set(getattr(doc, name).split()) for name in ranking.FIELD_WEIGHTS}
    relevance = ranking.score_fields(fields, parsed.terms)
    if not relevance:
        return 0.0, 0.0
    return relevance, relevance + ranking.static_score(doc.sales, doc.published_at, now, doc.rating)


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
    floor = ranking.RELATIVE_FLOOR * max((r[0] for r in rows), default=0)
    hits = [hit for relevance, hit in rows if relevance >= floor]
    hits.sort(key=lambda h: (-round(h.score, 6), -h.stamp, -h.product_id))
    return hits, parsed


class RankedProducts(Sequence):
    """Search results as a sequence that pagination can count and slice; a slice loads only its
    products (with shop, village, category and images), in rank order, each with `.score`."""

    capped = False  # every candidate is scored (at most CANDIDATES)

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

    def product_ids(self) -> list[int]:
        return [h.product_id for h in self.hits]


class IndexedResults(Sequence):
    """PostgreSQL: the same sequence, asked of the database lazily. `count()` (pagination asks
    it first) fetches the total with the first PREFETCH ranked ids in one statement, so page 1
    costs one ranking query; facets are one more. Each slice keeps only products for sale now
    (a delisted product vanishes even before its document is dropped after commit)."""

    PREFETCH, SLACK = 60, 10

    def __init__(self, statement: pg.Statement, sort: str, parsed, with_facets: bool):
        self._statement, self._sort, self.parsed = statement, sort, parsed
        self._total: int | None = None
        self._capped = False
        self._first: list | None = None
        self.facets = None
        if with_facets:
            raw = pg.facet_counts(statement)
            self._total, self._capped = raw["total"], raw["capped"]
            self.facets = facet_mod.present(raw)

    def count(self, *args) -> int:
        if self._total is None:
            self._first, self._total, self._capped = pg.page(
                self._statement, self._sort, 0, self.PREFETCH
            )
        return self._total

    @property
    def capped(self) -> bool:
        """True when the query matched more products than one search scores (pg.WINDOW): the
        count is of the best ones, and the page says so."""
        self.count()
        return self._capped

    def __len__(self) -> int:
        return self.count()

    def _rows(self, start: int, stop: int | None) -> list:
        if self._first is not None and stop is not None and stop + self.SLACK <= self.PREFETCH:
            return self._first[start : stop + self.SLACK]
        limit = None if stop is None else stop - start + self.SLACK
        return pg.page(self._statement, self._sort, start, limit)[0]

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        rows = self._rows(start, stop)
        wanted = len(rows) if stop is None else stop - start
        # Load the page's products, and the spare rows only when some of the page vanished
        # (delisted since it was indexed): loading products is most of a search's Python time.
        out = self._load(rows[:wanted])
        if len(out) < wanted and len(rows) > wanted:
            out += self._load(rows[wanted:])
        return out[:wanted]

    @staticmethod
    def _load(rows) -> list:
        products = visible_products().in_bulk([pk for pk, _score in rows])
        out = []
        for pk, score in rows:
            product = products.get(pk)
            if product is not None:
                product.score = round(score * 100)
                out.append(product)
        return out

    def product_ids(self) -> list[int]:
        ids = [pk for pk, _score in pg.page(self._statement, self._sort, 0, None)[0]]
        visible = set(Product.objects.for_sale().filter(pk__in=ids).values_list("pk", flat=True))
        return [pk for pk in ids if pk in visible]


def _indexed(parsed, filters, sort: str, with_facets: bool) -> IndexedResults:
    category_ids = shop_id = None
    if filters is not None and filters.category:
        category_ids = facet_mod.descendants(filters.category)
    if filters is not None and filters.shop:
        shop_id = facet_mod.shop_id(filters.shop)
    statement = pg.scored_sql(parsed, timezone.now(), filters, category_ids, shop_id)
    return IndexedResults(statement, sort, parsed, with_facets)


def search(
    text: str,
    filters: facet_mod.Filters | None = None,
    sort: str = "relevance",
    with_facets: bool = False,
) -> RankedProducts | IndexedResults:
    """Visible products for what the buyer typed, best first (or by `sort`), narrowed by
    `filters`; with facet counts of what is left when asked."""
    if connection.vendor == "postgresql":
        parsed = query_mod.parse(text)
        if not parsed.terms and parsed.place is None:
            return RankedProducts([], parsed, facet_mod.counts([]) if with_facets else None)
        return _indexed(parsed, filters, sort, with_facets)
    hits, parsed = ranked_hits(text)
    if filters is not None:
        hits = facet_mod.apply(hits, filters)
    hits = facet_mod.sort(hits, sort)
    return RankedProducts(hits, parsed, facet_mod.counts(hits) if with_facets else None)


def search_product_ids(text: str) -> list[int]:
    """Every product the query finds, best first (tests and tools)."""
    return search(text).product_ids()


__all__ = ["Product", "RankedProducts", "search", "search_product_ids"]
