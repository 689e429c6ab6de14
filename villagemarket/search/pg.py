"""Ranking, counting and facets in PostgreSQL: the formula of search.ranking, computed where the
documents are, so a query touches only the documents that match and sends back one page.

One statement shape (`_scored_sql`): the GIN index finds the documents holding any alternative
of any query word; for each of them and each word, a CASE walks that word's score levels (best
first, each a small weighted tsquery: `'hanfu':A`, then `'hanfu':B | 'hanfy':A`, ...) and stops
at the first it matches; relevance, cover, the relative floor (a window max) and the sales /
freshness / rating terms follow in plain arithmetic. Filters narrow after the floor, as in the
Python path. The page query adds the order and `count(*) OVER ()`; the facet query groups the
same rows by category, origin, shop, price range and free shipping in one pass (GROUPING SETS).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection

from . import ranking
from .facets import PRICE_RANGES, Filters

ORDERS = {
    "relevance": "round(score::numeric, 6) DESC, published_at DESC NULLS LAST, product_id DESC",
    "sales": "sales DESC, published_at DESC NULLS LAST, product_id DESC",
    "price_up": "price_minor ASC, published_at DESC NULLS LAST, product_id DESC",
    "price_down": "price_minor DESC, published_at DESC NULLS LAST, product_id DESC",
    "newest": "published_at DESC NULLS LAST, product_id DESC",
}


def _tsquery(tokens) -> str:
    """`'tok' | 'tok2'`. Tokens come from search.analysis (Han characters, latin letters and
    digits only), quoted all the same."""
    return " | ".join(_quote(token) for token in dict.fromkeys(tokens))


def _level_match(pairs, params: list) -> str:
    """A document holds one of these (token, field) pairs: each field's own small vector."""
    by_field: dict[str, list[str]] = {}
    for token, name in pairs:
        by_field.setdefault(name, []).append(token)
    tests = []
    for name in ranking.FIELD_WEIGHTS:  # title first: the row's own, smallest vector
        if name in by_field:
            params.append(_tsquery(by_field[name]))
            tests.append(f"d.{name}_vector @@ %s::tsquery")
    return " OR ".join(tests)


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "").replace("'", "''") + "'"


@dataclass
class Statement:
    sql: str
    params: list = field(default_factory=list)


def _term_case(term, params: list) -> str:
    """The CASE giving one query word's best score in a document (0 when it is absent)."""
    whens = []
    for value, pairs in ranking.term_levels(term.alternatives):
        whens.append(f"WHEN {_level_match(pairs, params)} THEN {float(value)!r}")
    return "CASE " + " ".join(whens) + " ELSE 0.0 END"


def _relevance_sql(terms) -> str:
    """relevance = text x cover (search.ranking.relevance) over the columns s0, s1, ..."""
    if not terms:
        return "1.0"
    text = " + ".join(f"s{i}" for i in range(len(terms)))
    matched = " + ".join(f"(s{i} > 0)::int" for i in range(len(terms)))
    needed = " + ".join(
        f"(s{i} > 0)::int" if term.optional else "1" for i, term in enumerate(terms)
    )
    cover = f"(({matched})::float8 / NULLIF({needed}, 0))"
    return (
        f"CASE WHEN ({matched}) = 0 OR coalesce({cover}, 0) < {ranking.MIN_COVER!r} THEN 0.0 "
        f"ELSE ({text}) * {cover} END"
    )


def _filter_sql(filters: Filters | None, category_ids: set[int] | None, shop_id, params) -> str:
    if filters is None:
        return ""
    parts = []
    if filters.category:
        parts.append("category_id = ANY(%s)")
        params.append(sorted(category_ids or []))
    if filters.region:
        parts.append("village_code LIKE %s")
        params.append(filters.region + "%")
    if filters.shop:
        parts.append("shop_id = %s")
        params.append(shop_id if shop_id is not None else -1)
    if filters.shipping == "free":
        parts.append("ships_free")
    low, high = filters.price_bounds()
    if low is not None:
        parts.append("price_minor >= %s")
        params.append(low)
    if high is not None:
        parts.append("price_minor < %s")
        params.append(high)
    return "".join(f" AND {p}" for p in parts)


def scored_sql(parsed, now: datetime, filters: Filters | None, category_ids, shop_id) -> Statement:
    """`floored`: the documents that match, with relevance >= the floor, after the filters, each
    with its score (a CTE body: SELECT ... FROM ...)."""
    # Parameters in the order their placeholders appear in the text: `now` (the outer score),
    # the CASE tsqueries, the match, the place, the filters.
    params: list = [now]
    terms = parsed.terms
    cases = [f"{_term_case(term, params)} AS s{i}" for i, term in enumerate(terms)]
    where = []
    if terms:
        params.append(_tsquery(parsed.tokens))
        where.append("d.document @@ %s::tsquery")
    if parsed.place is not None:
        where.append("d.village_code LIKE %s")
        params.append(parsed.place.code + "%")
    columns = "d.product_id, d.category_id, d.village_code, d.shop_id, d.price_minor, d.sales, "
    columns += "d.ships_free, d.published_at"
    # OFFSET 0 keeps the subquery whole: inlined, each s_i's CASE would run once per use.
    source = f"search_searchdocument d WHERE {' AND '.join(where) or 'TRUE'}"
    if len(terms) > 1:
        # body_vector and place_vector live out of line: each `@@` on them would fetch them
        # again. With several words most documents need them, so fetch each once per row.
        source = (
            f"(SELECT {columns}, d.title_vector, d.body_vector || ''::tsvector AS body_vector, "  # noqa: S608
            f"d.place_vector || ''::tsvector AS place_vector FROM {source} OFFSET 0) d"
        )
    matched = f"SELECT {columns}{''.join(', ' + c for c in cases)} FROM {source}"  # noqa: S608
    static = (
        f"{ranking.SALES_WEIGHT!r} * log(1 + sales) + CASE WHEN published_at IS NULL THEN 0 "
        f"ELSE {ranking.FRESH_WEIGHT!r} * greatest(0.0, 1 - greatest(0.0, "
        f"extract(epoch FROM (%s::timestamptz - published_at))::float8) / 86400 "
        f"/ {ranking.FRESH_DAYS}) END + {ranking.RATING_WEIGHT!r} * 0"
    )
    filters_sql = _filter_sql(filters, category_ids, shop_id, params)
    sql = (
        "SELECT *, relevance + " + static + " AS score FROM ("  # noqa: S608 - constant SQL
        "SELECT *, max(relevance) OVER () AS best FROM ("
        "SELECT product_id, category_id, village_code, shop_id, price_minor, sales, ships_free, "
        f"published_at, {_relevance_sql(terms)} AS relevance FROM ({matched} OFFSET 0) m"
        ") r WHERE relevance > 0"
        f") b WHERE relevance >= {ranking.RELATIVE_FLOOR!r} * best{filters_sql}"
    )
    return Statement(sql, params)


def page(statement: Statement, sort: str, offset: int, limit: int | None):
    """(rows of (product_id, score, published_at), total) in the order of `sort`."""
    order = ORDERS.get(sort, ORDERS["relevance"])
    sql = (
        f"WITH floored AS ({statement.sql}) "  # noqa: S608 - constant SQL
        f"SELECT product_id, score, count(*) OVER () FROM floored ORDER BY {order}"
    )
    params = list(statement.params)
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    sql += " OFFSET %s"
    params.append(offset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows and offset:
        # Past the end: the total still matters (pagination shows it).
        return [], count(statement)
    return [(r[0], r[1]) for r in rows], (rows[0][2] if rows else 0)


def count(statement: Statement) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({statement.sql}) f", statement.params)  # noqa: S608
        return cursor.fetchone()[0]


_BUCKET = (
    "CASE "
    + " ".join(
        f"WHEN price_minor < {high} THEN {i}"
        for i, (_low, high) in enumerate(PRICE_RANGES)
        if high is not None
    )
    + f" ELSE {len(PRICE_RANGES) - 1} END"
)


def facet_counts(statement: Statement) -> dict:
    """Counts of the same rows: {"total", "category", "province", "county", "village", "shop",
    "price" (per PRICE_RANGES index), "free"}, in one pass over them."""
    sql = (
        f"WITH floored AS ({statement.sql}), "  # noqa: S608 - constant SQL
        f"keyed AS (SELECT category_id, left(village_code, 2) AS province, "
        f"left(village_code, 6) AS county, village_code, shop_id, {_BUCKET} AS bucket, "
        "ships_free FROM floored) "
        "SELECT GROUPING(category_id, province, county, village_code, shop_id, bucket, "
        "ships_free), category_id, province, county, village_code, shop_id, bucket, ships_free, "
        "count(*) FROM keyed GROUP BY GROUPING SETS ((category_id), (province), (county), "
        "(village_code), (shop_id), (bucket), (ships_free), ())"
    )
    names = ["category", "province", "county", "village", "shop", "price", "free"]
    out: dict = {name: {} for name in names}
    out["total"] = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, statement.params)
        for grouping, *values, n in cursor.fetchall():
            # GROUPING(...) has a 1 bit for every column NOT grouped; the one grouped is 0.
            for position, name in enumerate(names):
                if not grouping & (1 << (len(names) - 1 - position)):
                    key = values[position]
                    if key is not None:
                        out[name][key] = n
                    break
            else:
                out["total"] = n
    return out
