"""Filters, sorts and facet counts over a query's hits (no extra index queries: every hit carries
its document's category, origin, shop, price, sales and free shipping).

Facets count the hits left after the filters, so each count is what a click would show.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from villagemarket.catalog.models import Category
from villagemarket.regions.models import Region
from villagemarket.shops.models import Shop

SORTS = {
    "relevance": _("Relevance"),
    "sales": _("Best selling"),
    "price_up": _("Price: low to high"),
    "price_down": _("Price: high to low"),
    "newest": _("Newest"),
}
# Values listed per facet group (the page shows 12; the API up to this many).
FACET_LIMIT = 50
# Price ranges in minor units (fen): [low, high).
PRICE_RANGES = [
    (0, 2000),
    (2000, 5000),
    (5000, 10000),
    (10000, 20000),
    (20000, 50000),
    (50000, None),
]


@dataclass
class Filters:
    """What the buyer narrowed the results to; every field is optional."""

    category: str = ""  # slug; includes the categories below it
    region: str = ""  # region code at any level (origin)
    shop: str = ""  # slug
    price: str = ""  # "low-high" in minor units, e.g. "2000-5000" or "50000-"
    shipping: str = ""  # "free": only products that ship free (search/freight.py)

    def price_bounds(self) -> tuple[int | None, int | None]:
        low, _, high = self.price.partition("-")
        try:
            return (int(low) if low else None, int(high) if high else None)
        except ValueError:
            return None, None

    def active(self) -> bool:
        return bool(self.category or self.region or self.shop or self.price or self.shipping)


def descendants(slug: str) -> set[int]:
    """Ids of the category with this slug and of every category below it."""
    categories = list(Category.objects.values_list("pk", "parent_id", "slug"))
    root = next((pk for pk, _p, s in categories if s == slug), None)
    if root is None:
        return set()
    found, frontier = {root}, {root}
    while frontier:
        frontier = {pk for pk, parent, _s in categories if parent in frontier} - found
        found |= frontier
    return found


def shop_id(slug: str) -> int | None:
    return Shop.objects.filter(slug=slug).values_list("pk", flat=True).first()


def apply(hits: list, filters: Filters) -> list:
    """The hits that pass every filter (an unknown category or shop leaves nothing)."""
    if filters.category:
        wanted = descendants(filters.category)
        hits = [h for h in hits if h.category_id in wanted]
    if filters.region:
        hits = [h for h in hits if h.village_code.startswith(filters.region)]
    if filters.shop:
        wanted_shop = shop_id(filters.shop)
        hits = [h for h in hits if h.shop_id == wanted_shop]
    if filters.shipping == "free":
        hits = [h for h in hits if h.ships_free]
    low, high = filters.price_bounds()
    if low is not None:
        hits = [h for h in hits if h.price_minor >= low]
    if high is not None:
        hits = [h for h in hits if h.price_minor < high]
    return hits


def sort(hits: list, how: str) -> list:
    """Relevance (as ranked) or one of SORTS; ties break by newest, then id."""
    keys = {
        "sales": lambda h: (-h.sales, -h.stamp, -h.product_id),
        "price_up": lambda h: (h.price_minor, -h.stamp, -h.product_id),
        "price_down": lambda h: (-h.price_minor, -h.stamp, -h.product_id),
        "newest": lambda h: (-h.stamp, -h.product_id),
    }
    return sorted(hits, key=keys[how]) if how in keys else hits


def counts(hits: list) -> dict:
    """Facet counts: category tree, price ranges, origin province/county/village, shop, free
    shipping."""
    return present(
        {
            "category": Counter(h.category_id for h in hits if h.category_id),
            "province": Counter(h.village_code[:2] for h in hits),
            "county": Counter(h.village_code[:6] for h in hits),
            "village": Counter(h.village_code for h in hits),
            "shop": Counter(h.shop_id for h in hits),
            "price": Counter(_bucket(h.price_minor) for h in hits),
            "free": {True: sum(1 for h in hits if h.ships_free)},
        }
    )


def _bucket(price_minor: int) -> int:
    """The index in PRICE_RANGES of a price."""
    for i, (_low, high) in enumerate(PRICE_RANGES):
        if high is None or price_minor < high:
            return i
    return len(PRICE_RANGES) - 1


def _top(found: dict) -> dict:
    return dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_LIMIT])


def present(raw: dict) -> dict:
    """The facets shown from raw counts per category id, province / county / village code, shop
    id, PRICE_RANGES index and ships_free (counted in Python over hits, or by SQL)."""
    by_category = {pk: n for pk, n in raw["category"].items() if pk}
    categories = {c.pk: c for c in Category.objects.all()}
    rolled: Counter = Counter()
    for category_id, n in by_category.items():
        seen = set()
        while category_id in categories and category_id not in seen:
            seen.add(category_id)
            rolled[category_id] += n
            category_id = categories[category_id].parent_id
    # The biggest FACET_LIMIT values of a group: a query over a county may span thousands of
    # shops, and names are read only for the values shown.
    origin = {level: _top(raw[level]) for level in ("province", "county", "village")}
    codes = set().union(*(set(c) for c in origin.values()))
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    by_shop = _top(raw["shop"])
    shops = {s.pk: s for s in Shop.objects.filter(pk__in=by_shop)}
    prices = []
    for i, (low, high) in enumerate(PRICE_RANGES):
        n = raw["price"].get(i, 0)
        if n:
            prices.append({"key": f"{low}-{high or ''}", "low": low, "high": high, "count": n})
    free = raw["free"].get(True, 0)
    return {
        "categories": [
            {
                "slug": categories[pk].slug,
                "name": categories[pk].display_name,
                "parent": categories[categories[pk].parent_id].slug
                if categories[pk].parent_id in categories
                else "",
                "count": n,
            }
            for pk, n in sorted(rolled.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "prices": prices,
        **{
            level: [
                {"code": code, "name": regions[code].display_name, "count": n}
                for code, n in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
                if code in regions
            ]
            for level, found in origin.items()
        },
        "shops": [
            {"slug": shops[pk].slug, "name": shops[pk].name, "count": n}
            for pk, n in sorted(by_shop.items(), key=lambda kv: (-kv[1], kv[0]))
            if pk in shops
        ],
        "shipping": [{"key": "free", "name": str(_("Free shipping")), "count": free}]
        if free
        else [],
    }
