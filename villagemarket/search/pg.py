"""Ranking, counting and facets in PostgreSQL: the formula of search.ranking, computed where the
documents are, so a query touches only the documents that match and sends back one page.

One statement shape (`scored_sql`, docs/search.md "Speed"): the indexes find the matching
documents (a GIN index on the text, title + body; the shops whose places hold a word, through
ShopPlace); a cheap order (query words in the title or the shop's places, then sales) keeps at
most WINDOW of them; only those are scored. For each of them and each word, a CASE per field
walks the word's score levels, best first (`title_vector @@ 'hanfu'` -> 3.0, then
`'汉服' | 'hanfy'` -> 2.1, ...) and stops at the first it matches; the word's score is its best
over the fields. Relevance, cover, the relative floor (a window max) and the sales / freshness /
rating terms follow in plain arithmetic. Filters narrow the window. The page query adds the
order and `count(*) OVER ()`; the facet query groups the same rows by category, origin, shop,
price range and free shipping in one pass (GROUPING SETS).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
    params: dict = field(default_factory=dict)

    def param(self, value, prefix: str = "p") -> str:
        """A named placeholder for `value` (named, so pieces of SQL can be put together in any
        order)."""
        name = f"{prefix}{len(self.params)}"
        self.params[name] = value
        return f"%({name})s"

    def tsquery(self, tokens) -> str:
        return self.param(_tsquery(tokens), "q") + "::tsquery"


# How many matching documents are scored per query (docs/search.md, "Speed"). The GIN index
# finds the matches; a cheap order on what is in the row or per shop (how many query words the
# title or the shop's places hold, then sales, then the newest) picks this many; only they are
# scored with the full formula, sorted, counted and grouped. A query that matches more says
# "more than" on the page: past this, scoring costs more than a buyer gains (Taobao also stops
# at 100 pages).
WINDOW = 400


# Sent with each search statement (one message: a simple query runs as one transaction, so the
# LOCAL settings end with it, and inside a caller's transaction they end with that).
_SETTINGS = (
    "SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0; "
    "SET LOCAL enable_seqscan = off; SET LOCAL enable_nestloop = off; "
)


def _execute(sql: str, params: dict) -> list[tuple]:
    """Run a search statement without JIT, parallel workers, sequential scans or nested loops:
    on a small server a query's own CPU is the budget (parallel workers only add processes
    competing for the same cores, and JIT compiles for longer than these statements run); a
    sequential scan tests `@@` on every row, reading each body from TOAST, when the matches
    should come from the GIN index (the planner does not know what that test
    costs); and the shop places that hold a query word join by hash, not probed per document.
    The settings travel in the statement's own message: no extra round trip."""
    with connection.cursor() as cursor:
        cursor.execute(_SETTINGS + sql, params)
        while cursor.description is None and cursor.nextset():
            pass  # past the SETs' empty results
        return cursor.fetchall()


def _field_case(statement: Statement, term, name: str, vector: str) -> tuple[str, float]:
    """CASE giving one query word's best score in one field (0 when absent), its levels best
    first; and the highest value it can give."""
    levels: dict[float, list[str]] = {}
    for token, weight in term.alternatives.items():
        levels.setdefault(round(weight * ranking.FIELD_WEIGHTS[name], 6), []).append(token)
    whens = [
        f"WHEN {vector} @@ {statement.tsquery(levels[value])} THEN {value!r}"
        for value in sorted(levels, reverse=True)
    ]
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


def _origin_sql(statement: Statement, code: str) -> str:
    """Shipped from under the region `code` (2 digits: a province ... 12: a village). Written
    so that no index can serve it: with `village_code LIKE '371721%'` the planner walked the
    county's 20,000 documents and tested `@@` on each (the body is out of line: read from TOAST),
    instead of intersecting with the GIN index's answer."""
    return f"left(d.village_code, {len(code)}) = {statement.param(code)}"


def _filter_sql(statement: Statement, filters: Filters | None, category_ids, shop_id) -> str:
    if filters is None:
        return ""
    parts = []
    if filters.category:
        parts.append(f"d.category_id = ANY({statement.param(sorted(category_ids or []))})")
    if filters.region:
        parts.append(_origin_sql(statement, filters.region))
    if filters.shop:
        parts.append(f"d.shop_id = {statement.param(shop_id if shop_id is not None else -1)}")
    if filters.shipping == "free":
        parts.append("d.ships_free")
    low, high = filters.price_bounds()
    if low is not None:
        parts.append(f"d.price_minor >= {statement.param(low)}")
    if high is not None:
        parts.append(f"d.price_minor < {statement.param(high)}")
    return "".join(f" AND {p}" for p in parts)


def _window_words(parsed, exact: bool) -> list:
    """The query's words as the window matches them: only their exact forms (weight 1: the
    word, its stem) when `exact`, else every alternative (sub-words, pinyin, typos, synonyms).
    Returned as terms with just those alternatives."""
    if not exact:
        return parsed.terms
    return [
        replace(term, alternatives={t: w for t, w in term.alternatives.items() if w >= 1.0})
        for term in parsed.terms
    ]


def _tokens(terms) -> list[str]:
    return list(dict.fromkeys(token for term in terms for token in term.alternatives))


def _window_ids(
    statement: Statement, parsed, filters_sql: str, exact: bool, every: bool = False
) -> str:
    """SELECT of the ids of at most WINDOW matching documents: those whose title or shop places
    hold the most query words first, then the best sellers, then the newest ids. The shop places
    that hold any query word are found once (GIN on ShopPlace), not per document. `exact`: only
    documents with a word's exact form (see `narrow`); `every`: only those that hold every word
    (see `strict`)."""
    where, order = [], []
    places = "(SELECT NULL::bigint AS shop_id, NULL::tsvector AS place_vector LIMIT 0)"
    terms = _window_words(parsed, exact)
    if terms:
        any_word = statement.tsquery(_tokens(terms))
        places = (
            "(SELECT shop_id, place_vector FROM search_shopplace "  # noqa: S608
            f"WHERE place_vector @@ {any_word})"
        )
        # A place named in the query is a filter (below) that every document of the window
        # meets, so only the other words need the index: 曹县 汉服 visits Cao County's hanfu,
        # not all 20,000 of its products.
        place = parsed.place
        names = {place.name, place.short_name} if place is not None else set()
        text_terms = [term for term in terms if term.word not in names]
        match = []
        if every:
            # Every word, each in the text or the shop's places (search.service tries this
            # first for a query of several words: 金乡大蒜 is garlic from Jinxiang, not all of
            # Jinxiang's products and all garlic).
            for term in text_terms:
                if term.optional:
                    continue
                word = statement.tsquery(term.alternatives)
                where.append(
                    f"((d.title_vector || d.body_vector) @@ {word} OR d.shop_id = ANY(ARRAY("  # noqa: S608
                    "SELECT x.shop_id FROM search_shopplace x "
                    f"WHERE x.place_vector @@ {word})))"
                )
        elif text_terms:
            # The text index (title + body, migration 0009): a word that is only in the
            # shop's places does not bring in every product of a county.
            match.append(
                f"(d.title_vector || d.body_vector) @@ {statement.tsquery(_tokens(text_terms))}"
            )
        if not every and place is None and sum(not term.optional for term in terms) <= 1:
            # One word (义乌, a shop's name): the products of the shops whose places hold it
            # too. With more words, a product that holds one only through its shop covers
            # part of the query at most, below the floor of those that hold the rest.
            match.append(f"d.shop_id = ANY(ARRAY(SELECT x.shop_id FROM {places} x))")  # noqa: S608
        if match:
            where.append("(" + " OR ".join(match) + ")")
        hits = []
        for term in terms:
            word = statement.tsquery(term.alternatives)
            hits.append(f"(d.title_vector @@ {word} OR coalesce(p.place_vector @@ {word}, false))")
        order.append(f"({' + '.join(h + '::int' for h in hits)}) DESC")
    if parsed.place is not None:
        where.append(_origin_sql(statement, parsed.place.code))
    order += ["d.sales DESC", "d.product_id DESC"]
    # The order is decided on narrow rows (id and key): sorting thousands of matches with their
    # vectors moved ~400 bytes per row. The window's rows are then read again by id.
    return (
        f"SELECT d.product_id FROM search_searchdocument d LEFT JOIN {places} p "  # noqa: S608
        f"ON p.shop_id = d.shop_id WHERE {' AND '.join(where) or 'TRUE'}{filters_sql} "
        f"ORDER BY {', '.join(order)} LIMIT {WINDOW}"
    )


def _window_sql(statement: Statement, parsed, filters_sql: str) -> str:
    """The scoring window (aliased `d`): the columns, title and body vectors and the shop's
    place vector of the first of these that fills WINDOW (or the last): the documents holding
    every word (`strict`), those holding a word's exact form (`narrow`), those holding any
    alternative of any word. One statement: each step is a MATERIALIZED CTE that PostgreSQL
    runs only when the CASE reaches it."""
    steps = []
    if strict(parsed):
        steps.append(_window_ids(statement, parsed, filters_sql, exact=True, every=True))
    if narrow(parsed):
        steps.append(_window_ids(statement, parsed, filters_sql, exact=True))
    steps.append(_window_ids(statement, parsed, filters_sql, exact=False))
    ctes = ", ".join(f"w{i} AS MATERIALIZED ({sql})" for i, sql in enumerate(steps))
    last = len(steps) - 1
    # Only names of this statement's own CTEs and the WINDOW constant go into the text.
    whens = [
        f"WHEN (SELECT count(*) FROM w{i}) >= {WINDOW} THEN ARRAY(SELECT product_id FROM w{i})"  # noqa: S608
        for i in range(last)
    ]
    pick = f"ARRAY(SELECT product_id FROM w{last})"  # noqa: S608
    if whens:
        pick = " ".join(["CASE", *whens, "ELSE", pick, "END"])
    return (
        f"(WITH {ctes} SELECT {', '.join('d.' + c for c in COLUMNS)}, d.title_vector, "  # noqa: S608
        "d.body_vector, (SELECT sp.place_vector FROM search_shopplace sp "
        "WHERE sp.shop_id = d.shop_id) AS place_vector FROM search_searchdocument d "
        f"WHERE d.product_id = ANY({pick})) d"
    )


def _matched_sql(statement: Statement, terms, window: str) -> str:
    """SELECT of the window's columns and each word's score s0, s1, ...

    The title's vector is in the row and the place's comes with the shop; the body's lives out
    of line (migration 0007). When a word's title or place score is already at least the best
    its body could give (always for a title match with today's weights: 0.5 x 3 >= 1 x 1.5),
    the body is not read; otherwise it is fetched once (`|| ''` detoasts it in a sub-select the
    CASE runs only then) and scored for every word."""
    columns = ", ".join(COLUMNS)
    firsts, bodies, enough = [], [], []
    for i, term in enumerate(terms):
        title_case, _best = _field_case(statement, term, "title", "d.title_vector")
        place_case, _best = _field_case(statement, term, "place", "d.place_vector")
        body_case, body_best = _field_case(statement, term, "body", "v.body_vector")
        firsts.append(f"greatest({title_case}, {place_case}) AS t{i}")
        bodies.append(body_case)
        enough.append(f"t{i} >= {body_best!r}")
    inner = (
        f"SELECT {', '.join('d.' + c for c in COLUMNS)}, d.body_vector, "  # noqa: S608
        f"{', '.join(firsts)} FROM {window} OFFSET 0"
    )
    rest = (
        f"CASE WHEN {' AND '.join(enough)} THEN NULL ELSE (SELECT ARRAY[{', '.join(bodies)}] "  # noqa: S608
        "FROM (SELECT i.body_vector || ''::tsvector AS body_vector OFFSET 0) v) END"
    )
    scores = ", ".join(
        f"greatest(t{i}, coalesce(rest[{i + 1}], 0.0)) AS s{i}" for i in range(len(terms))
    )
    return (
        f"SELECT {columns}, {scores} FROM (SELECT {columns}, "  # noqa: S608
        f"{', '.join(f't{i}' for i in range(len(terms)))}, {rest} AS rest FROM ({inner}) i "
        "OFFSET 0) j"
    )


def narrow(parsed) -> bool:
    """Whether to try the window on the words' exact forms first. A query's alternatives
    (synonyms, pinyin, sub-words, typos) widen its matches three-fold (羽绒被: 4,585 products
    hold the word, 13,698 hold one of its alternatives), and finding the matches is most of the
    cost. When the exact forms alone fill the window, its best are what the buyer asked for;
    when they do not, the search runs again with every alternative (search.service)."""
    return any(w < 1.0 for term in parsed.terms for w in term.alternatives.values())


def strict(parsed) -> bool:
    """Whether to try the window on documents that hold every word first (a query of several
    words): when they fill it, they are what the buyer meant, and the index finds them far
    faster than it finds every document holding any of the words. When they do not, the
    window takes the next step (`_window_sql`)."""
    place = parsed.place
    names = {place.name, place.short_name} if place is not None else set()
    return sum(not t.optional and t.word not in names for t in parsed.terms) >= 2


def scored_sql(parsed, now: datetime, filters: Filters | None, category_ids, shop_id) -> Statement:
    """`floored`: the documents of the scoring window with relevance >= the floor (after the
    filters, which also narrow the window), each with its score and `scanned` (how many
    documents the window held: WINDOW means the query matched more) (a CTE body)."""
    statement = Statement("")
    filters_sql = _filter_sql(statement, filters, category_ids, shop_id)
    window = _window_sql(statement, parsed, filters_sql)
    if parsed.terms:
        matched = _matched_sql(statement, parsed.terms, window)
    else:  # a place alone: every document from there
        matched = f"SELECT {', '.join('d.' + c for c in COLUMNS)} FROM {window}"  # noqa: S608
    now_param = statement.param(now)
    static = (
        f"{ranking.SALES_WEIGHT!r} * log(1 + sales) + CASE WHEN published_at IS NULL THEN 0 "
        f"ELSE {ranking.FRESH_WEIGHT!r} * greatest(0.0, 1 - greatest(0.0, "
        f"extract(epoch FROM ({now_param}::timestamptz - published_at))::float8) / 86400 "
        f"/ {ranking.FRESH_DAYS}) END + {ranking.RATING_WEIGHT!r} * rating"
    )
    # OFFSET 0 keeps each sub-select whole: inlined, each s_i's CASE would run once per use.
    statement.sql = (
        "SELECT *, relevance + " + static + " AS score FROM ("  # noqa: S608 - constant SQL
        "SELECT *, max(relevance) OVER () AS best, count(*) OVER () AS scanned FROM ("
        f"SELECT {', '.join(COLUMNS)}, {_relevance_sql(parsed.terms)} AS relevance "
        f"FROM ({matched} OFFSET 0) m) r"
        f") b WHERE relevance > 0 AND relevance >= {ranking.RELATIVE_FLOOR!r} * best"
    )
    return statement


def page(statement: Statement, sort: str, offset: int, limit: int | None):
    """(rows of (product_id, score), total, capped) in the order of `sort`; `capped` when the
    query matched more documents than the scoring window holds."""
    order = ORDERS.get(sort, ORDERS["relevance"])
    sql = (
        f"WITH floored AS ({statement.sql}) "  # noqa: S608 - constant SQL
        f"SELECT product_id, score, count(*) OVER (), scanned FROM floored ORDER BY {order}"
    )
    params = {**statement.params, "page_offset": offset}
    if limit is not None:
        sql += " LIMIT %(page_limit)s"
        params["page_limit"] = limit
    sql += " OFFSET %(page_offset)s"
    rows = _execute(sql, params)
    if not rows and offset:
        # Past the end: the total still matters (pagination shows it).
        return ([], *count(statement))
    if not rows:
        return [], 0, False
    return [(r[0], r[1]) for r in rows], rows[0][2], rows[0][3] >= WINDOW


def count(statement: Statement) -> tuple[int, bool]:
    """(total, capped) of the statement's rows."""
    sql = f"SELECT count(*), coalesce(max(scanned), 0) FROM ({statement.sql}) f"  # noqa: S608
    total, scanned = _execute(sql, statement.params)[0]
    return total, scanned >= WINDOW


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
    "price" (per PRICE_RANGES index), "free", "capped"}, in one pass over them."""
    sql = (
        f"WITH floored AS ({statement.sql}), "  # noqa: S608 - constant SQL
        f"keyed AS (SELECT category_id, left(village_code, 2) AS province, "
        f"left(village_code, 6) AS county, village_code, shop_id, {_BUCKET} AS bucket, "
        "ships_free, scanned FROM floored) "
        "SELECT GROUPING(category_id, province, county, village_code, shop_id, bucket, "
        "ships_free), category_id, province, county, village_code, shop_id, bucket, ships_free, "
        "count(*), max(scanned) FROM keyed GROUP BY GROUPING SETS ((category_id), (province), "
        "(county), (village_code), (shop_id), (bucket), (ships_free), ())"
    )
    names = ["category", "province", "county", "village", "shop", "price", "free"]
    out: dict = {name: {} for name in names}
    out["total"], out["capped"] = 0, False
    for grouping, *values, n, scanned in _execute(sql, statement.params):
        # GROUPING(...) has a 1 bit for every column NOT grouped; the one grouped is 0.
        for position, name in enumerate(names):
            if not grouping & (1 << (len(names) - 1 - position)):
                key = values[position]
                if key is not None:
                    out[name][key] = n
                break
        else:
            out["total"] = n
            out["capped"] = (scanned or 0) >= WINDOW
    return out
