"""Ranking, counting and facets in PostgreSQL: the formula of search.ranking, computed where the
documents are, so a query touches only the documents that match and sends back one page.

One statement shape (`scored_sql`): the GIN index on the weighted `document` finds the
documents holding any alternative of any query word. For each of them and each word, a CASE per
field walks the word's score levels, best first (`title_vector @@ 'hanfu'` -> 3.0, then
`'汉服' | 'hanfy'` -> 2.1, ...) and stops at the first it matches; the word's score is its best
over the fields. Relevance, cover, the relative floor (a window max) and the sales / freshness /
rating terms follow in plain arithmetic. Filters narrow after the floor, as in the Python path.
The page query adds the order and `count(*) OVER ()`; the facet query groups the same rows by
category, origin, shop, price range and free shipping in one pass (GROUPING SETS).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection

from . import ranking
from .facets import PRICE_RANGES, Filters

COLUMNS = (
    "product_id",
    "category_id",
    "village_code",
    "shop_id",
    "price_minor",
    "sales",
    "ships_free",
    "published_at",
    "rating",
)
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


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "").replace("'", "''") + "'"


@dataclass
class Statement:
    sql: str
    params: list = field(default_factory=list)


def _field_case(term, name: str, alias: str, params: list) -> tuple[str, float]:
    """CASE giving one query word's best score in one field of a document (0 when absent),
    its levels best first; and the highest value it can give."""
    levels: dict[float, list[str]] = {}
    for token, weight in term.alternatives.items():
        levels.setdefault(round(weight * ranking.FIELD_WEIGHTS[name], 6), []).append(token)
    whens = []
    for value in sorted(levels, reverse=True):
        params.append(_tsquery(levels[value]))
        whens.append(f"WHEN {alias}.{name}_vector @@ %s::tsquery THEN {value!r}")
    return "CASE " + " ".join(whens) + " ELSE 0.0 END", max(levels)


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


def _matched_sql(terms, source: str) -> tuple[str, list]:
    """SELECT of the matching documents' columns and each word's score s0, s1, ...

    The title's vector is in the row; the body's and place's live out of line (migration 0007).
    When a word's title score is already at least the best its body or place could give (always
    for a title match with today's weights: 0.5 x 3 >= 1 x 1.5), those are not read; otherwise
    both are fetched once (`|| ''` detoasts them in a sub-select the CASE runs only then) and
    scored for every word. Parameters: the body/place CASEs' (they come first in the text),
    then the title CASEs'."""
    columns = ", ".join(COLUMNS)
    title_params: list = []
    rest_params: list = []
    titles, rests, enough = [], [], []
    for i, term in enumerate(terms):
        title_case, _best = _field_case(term, "title", "d", title_params)
        body_case, body_best = _field_case(term, "body", "v", rest_params)
        place_case, place_best = _field_case(term, "place", "v", rest_params)
        titles.append(f"{title_case} AS t{i}")
        rests.append(f"greatest({body_case}, {place_case})")
        enough.append(f"t{i} >= {max(body_best, place_best)!r}")
    inner = (
        f"SELECT {', '.join('d.' + c for c in COLUMNS)}, d.body_vector, d.place_vector, "  # noqa: S608
        f"{', '.join(titles)} FROM {source} OFFSET 0"
    )
    rest = (
        f"CASE WHEN {' AND '.join(enough)} THEN NULL ELSE (SELECT ARRAY[{', '.join(rests)}] "  # noqa: S608
        "FROM (SELECT i.body_vector || ''::tsvector AS body_vector, "
        "i.place_vector || ''::tsvector AS place_vector OFFSET 0) v) END"
    )
    scores = ", ".join(
        f"greatest(t{i}, coalesce(rest[{i + 1}], 0.0)) AS s{i}" for i in range(len(terms))
    )
    sql = (
        f"SELECT {columns}, {scores} FROM (SELECT {columns}, "  # noqa: S608
        f"{', '.join(f't{i}' for i in range(len(terms)))}, {rest} AS rest FROM ({inner}) i "
        "OFFSET 0) j"
    )
    return sql, rest_params + title_params


def scored_sql(parsed, now: datetime, filters: Filters | None, category_ids, shop_id) -> Statement:
    """`floored`: the documents that match, with relevance >= the floor, after the filters, each
    with its score (a CTE body: SELECT ... FROM ...)."""
    terms = parsed.terms
    where, where_params = [], []
    if terms:
        where_params.append(_tsquery(parsed.tokens))
        where.append("d.document @@ %s::tsquery")
    if parsed.place is not None:
        where.append("d.village_code LIKE %s")
        where_params.append(parsed.place.code + "%")
    source = f"search_searchdocument d WHERE {' AND '.join(where) or 'TRUE'}"
    if terms:
        matched, matched_params = _matched_sql(terms, source)
    else:  # a place alone: every document from there
        matched, matched_params = f"SELECT {', '.join('d.' + c for c in COLUMNS)} FROM {source}", []  # noqa: S608
    static = (
        f"{ranking.SALES_WEIGHT!r} * log(1 + sales) + CASE WHEN published_at IS NULL THEN 0 "
        f"ELSE {ranking.FRESH_WEIGHT!r} * greatest(0.0, 1 - greatest(0.0, "
        f"extract(epoch FROM (%s::timestamptz - published_at))::float8) / 86400 "
        f"/ {ranking.FRESH_DAYS}) END + {ranking.RATING_WEIGHT!r} * rating"
    )
    # Parameters in the order their placeholders appear in the text: `now` (the score), the
    # word CASEs, the match and place, the filters.
    params: list = [now, *matched_params, *where_params]
    filters_sql = _filter_sql(filters, category_ids, shop_id, params)
    # OFFSET 0 keeps each sub-select whole: inlined, each s_i's CASE would run once per use.
    sql = (
        "SELECT *, relevance + " + static + " AS score FROM ("  # noqa: S608 - constant SQL
        "SELECT *, max(relevance) OVER () AS best FROM ("
        f"SELECT {', '.join(COLUMNS)}, {_relevance_sql(terms)} AS relevance "
        f"FROM ({matched} OFFSET 0) m) r WHERE relevance > 0"
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
