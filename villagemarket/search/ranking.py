"""The ranking formula (pure: no ORM), written once for both backends (docs/search.md).

    text      = sum over query words of  best alternative weight x field weight
                (title 3, attributes/category/description 1.5, shop and places 1)
    cover     = share of query words matched (an unmatched single Chinese character is not
                counted); a product must match at least MIN_COVER of them
    relevance = text x cover; below RELATIVE_FLOOR x the best relevance of the query: dropped
    score     = relevance + SALES_WEIGHT x log10(1 + sales) + freshness + RATING_WEIGHT x rating
    freshness = FRESH_WEIGHT x max(0, 1 - age in days / FRESH_DAYS)

SQLite scores candidates in Python with `score_fields` / `static_score`; PostgreSQL computes the
same numbers in SQL (search/pg.py) from `term_levels`, so every weight lives here.
    rating    = shrunk - PRIOR_STARS, where shrunk = (stars x n + PRIOR_STARS x PRIOR_COUNT)
                / (n + PRIOR_COUNT) over the product's n counted ratings (item stars; default
                ratings in, flagged and held reviews out): 0 without reviews, a few reviews
                move it little, many good ones lift a product and many poor ones sink it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime

FIELD_WEIGHTS = {"title": 3.0, "body": 1.5, "place": 1.0}
MIN_COVER = 0.5
# A product far less relevant than the best one is noise (a shop name, a sub-word): dropped.
RELATIVE_FLOOR = 0.35
SALES_WEIGHT, FRESH_WEIGHT, FRESH_DAYS = 0.3, 0.3, 90
# Most ratings are 5 stars (silence gives a default positive one): 4.5 is the neutral point.
RATING_WEIGHT, PRIOR_STARS, PRIOR_COUNT = 0.3, 4.5, 10


def rating(average_stars: float, count: int) -> float:
    """The rating input of the formula: the shrunk average less the neutral point (0 when none)."""
    if count <= 0:
        return 0.0
    shrunk = (float(average_stars) * count + PRIOR_STARS * PRIOR_COUNT) / (count + PRIOR_COUNT)
    return round(shrunk - PRIOR_STARS, 6)


def freshness(published_at: datetime | None, now: datetime) -> float:
    if published_at is None:
        return 0.0
    age_days = max(0.0, (now - published_at).total_seconds() / 86400)
    return FRESH_WEIGHT * max(0.0, 1 - age_days / FRESH_DAYS)


def static_score(sales: int, published_at: datetime | None, now: datetime, rating=0.0) -> float:
    """What a product brings whatever the query: sales, freshness, rating."""
    return (
        SALES_WEIGHT * math.log10(1 + sales) + freshness(published_at, now) + RATING_WEIGHT * rating
    )


def term_levels(alternatives: dict[str, float]) -> list[tuple[float, list[tuple[str, str]]]]:
    """A query term's possible scores, best first, each with the (token, field) pairs giving it:
    [(3.0, [("hanfu", "title")]), (2.1, [("hanfu", "title")...]), ...]. A product scores the
    first level it matches (the best alternative in its best field)."""
    levels: dict[float, list[tuple[str, str]]] = {}
    for token, weight in alternatives.items():
        for field, field_weight in FIELD_WEIGHTS.items():
            value = round(weight * field_weight, 6)
            levels.setdefault(value, []).append((token, field))
    return sorted(levels.items(), key=lambda kv: -kv[0])


def relevance(term_scores: Iterable[tuple[float, bool]]) -> float:
    """text x cover from each term's (best score, optional), or 0 when too little is covered."""
    text, matched, needed, any_term = 0.0, 0, 0, False
    for best, optional in term_scores:
        any_term = True
        if best:
            matched += 1
            text += best
        if best or not optional:
            needed += 1
    if not any_term:
        return 1.0  # a place alone: every product from there
    cover = matched / needed if needed else 0.0
    if not matched or cover < MIN_COVER:
        return 0.0
    return text * cover


def score_fields(fields: dict[str, set[str]], terms) -> float:
    """The relevance of a document whose fields hold these token sets (see module doc)."""
    scores = []
    for term in terms:
        best = 0.0
        for token, weight in term.alternatives.items():
            for name, tokens in fields.items():
                if token in tokens:
                    best = max(best, weight * FIELD_WEIGHTS[name])
        scores.append((best, term.optional))
    return relevance(scores)
