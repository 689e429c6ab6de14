"""Suggestions while typing, "did you mean", and related categories for a query that finds nothing.

Suggestions match by prefix: of a product title word (Chinese), of its pinyin or initials (latin),
through the index (FTS5 prefix query / tsquery `:*`); categories, shops and villages by name or
pinyin. Each list is short (at most LIMIT) so the box answers fast on a phone.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language

from villagemarket.catalog.models import Category, Product
from villagemarket.regions.models import Level, Region
from villagemarket.shops import selectors as shop_selectors

from . import analysis
from .index import index_version
from .models import SearchDocument
from .query import TYPO, ParsedQuery

LIMIT = 5
CACHE_SECONDS = 60
_PREFIX_TOKEN = analysis.LATIN_WORD


def _prefix_product_ids(prefix: str) -> list[int]:
    """Products with a title token starting with `prefix` (latin: pinyin, initials, English)."""
    if connection.vendor == "postgresql":
        sql = (
            "SELECT product_id FROM search_searchdocument "
            "WHERE title_vector @@ to_tsquery('simple', %s) "
            "ORDER BY sales DESC, product_id DESC LIMIT %s"
        )
        # The title's own vector is in the row (migration 0007); the weighted document is not.
        params = [f"'{prefix}':*", LIMIT * 4]
    else:
        sql = (
            "SELECT d.product_id FROM search_fts f JOIN search_searchdocument d "
            "ON d.product_id = f.rowid WHERE search_fts MATCH %s "
            "ORDER BY d.sales DESC, d.product_id DESC LIMIT %s"
        )
        params = [f'title : "{prefix}" *', LIMIT * 4]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _title_product_ids(text: str) -> list[int]:
    """Products whose title contains `text` (Chinese), best-selling first. The documents are
    walked in sales order (index search_document_sales) until enough match: a LIKE over every
    product's title, then a sort, cost ~300 ms on 100,000 products (bench/search.py)."""
    return list(
        SearchDocument.objects.filter(product__title__contains=text)
        .order_by("-sales", "-product_id")
        .values_list("product_id", flat=True)[: LIMIT * 4]
    )


def suggestions(text: str) -> dict[str, list[dict]]:
    """What to offer under the search box for `text` (a prefix of what the buyer is typing).

    Remembered in the cache (Redis in production) for CACHE_SECONDS per prefix and language:
    every buyer typing 羽绒 asks the same thing. The key holds the index's version
    (`index_changed` bumps it after any document changes), so a new or delisted product shows
    or vanishes at the next keystroke, not a minute later."""
    text = (text or "").strip().lower()[:40]
    if not text:
        return {"products": [], "categories": [], "shops": [], "villages": []}
    digest = hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
    key = f"search:suggest:{index_version()}:{get_language()}:{digest}"
    found = cache.get(key)
    if found is None:
        found = _suggestions(text)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _suggestions(text: str) -> dict[str, list[dict]]:
    latin = text.replace(" ", "")
    ids = _prefix_product_ids(latin) if _PREFIX_TOKEN.fullmatch(latin) else _title_product_ids(text)
    products = Product.objects.for_sale().filter(pk__in=ids)
    products = products.order_by("-sales_count", "-pk").values("pk", "title")[:LIMIT]
    categories = [
        {"slug": c.slug, "name": c.display_name}
        for c in Category.objects.all()
        if text in c.name
        or c.name_en.lower().startswith(text)
        or analysis.pinyin(c.name).startswith(latin)
        or analysis.pinyin(c.name, analysis.Style.FIRST_LETTER) == latin
    ][:LIMIT]
    shops = (
        shop_selectors.active_shops()
        .filter(Q(name__icontains=text) | Q(name_en__icontains=text))
        .values("slug", "name")[:LIMIT]
    )
    villages = (
        Region.objects.filter(level=Level.VILLAGE)
        .filter(Q(short_name__startswith=text) | Q(name_pinyin__startswith=latin))
        .order_by("-is_featured", "code")
        .values("code", "short_name")[:LIMIT]
    )
    # Each with the page it leads to, so the box under the search field needs no URL rules.
    return {
        "products": [
            {"id": p["pk"], "title": p["title"], "url": reverse("catalog:product", args=[p["pk"]])}
            for p in products
        ],
        "categories": [
            {**c, "url": reverse("catalog:category", args=[c["slug"]])} for c in categories
        ],
        "shops": [{**s, "url": reverse("shops:detail", args=[s["slug"]])} for s in shops],
        "villages": [
            {
                "code": v["code"],
                "name": v["short_name"],
                "url": reverse("regions:detail", args=[v["code"]]),
            }
            for v in villages
        ],
    }


def did_you_mean(parsed: ParsedQuery | None) -> str:
    """The query with each latin word replaced by its typo correction, when there was one."""
    if parsed is None:
        return ""
    words, changed = [], False
    for term in parsed.terms:
        fixes = [t for t, w in term.alternatives.items() if w == TYPO and not analysis.is_han(t)]
        if fixes and not analysis.is_han(term.word):
            words.append(sorted(fixes)[0])
            changed = True
        else:
            words.append(term.word)
    return " ".join(words) if changed else ""


def related_categories(limit: int = 8) -> list[Category]:
    """For a query that finds nothing: the top-level categories, to browse instead."""
    return list(Category.objects.filter(parent__isnull=True).order_by("position", "name")[:limit])
