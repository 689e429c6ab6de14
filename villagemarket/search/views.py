"""The search results page: products (paginated, by relevance or a sort), facets to narrow them,
plus matching shops and villages. Filters and sorts are plain links: the URL keeps the state and
the page works without JavaScript. With it (search/static/search/search.js), a click asks for the
same URL with an `HX-Request` header and gets only the results region back, swapped in place."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from . import selectors, suggest
from .facets import SORTS, Filters
from .terms import MAX_QUERY, search_terms

PER_PAGE = 24
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")
_CODE = re.compile(r"^[0-9]{2,12}$")
_PRICE = re.compile(r"^[0-9]{1,10}-[0-9]{0,10}$")
_SHIPPING = re.compile(r"^free$")
STATE = ("q", "sort", "category", "region", "shop", "price", "shipping")


def _clean(get) -> dict[str, str]:
    """The page's state from the query string; anything malformed is ignored."""
    state = {"q": get.get("q", "").strip()[:MAX_QUERY]}
    sort = get.get("sort", "")
    state["sort"] = sort if sort in SORTS and sort != "relevance" else ""
    for name, pattern in (
        ("category", _SLUG),
        ("shop", _SLUG),
        ("region", _CODE),
        ("price", _PRICE),
        ("shipping", _SHIPPING),
    ):
        value = get.get(name, "")
        state[name] = value if pattern.match(value) else ""
    return state


def _url(state: dict[str, str], **changes: str) -> str:
    merged = {**state, **changes}
    return "?" + urlencode([(k, merged[k]) for k in STATE if merged.get(k)])


def _facet_links(state: dict[str, str], facets: dict) -> list[dict]:
    """Each facet group with its values as links that toggle the filter (keeping the rest)."""
    groups = [
        ("category", "categories", "slug"),
        ("price", "prices", "key"),
        ("region", "province", "code"),
        ("region", "county", "code"),
        ("region", "village", "code"),
        ("shop", "shops", "slug"),
        ("shipping", "shipping", "key"),
    ]
    out = []
    for param, group, key in groups:
        values = []
        for value in facets.get(group, [])[:12]:
            chosen = state[param] == value[key]
            if group == "prices":
                low, high = value["low"] // 100, value["high"]
                value = {**value, "name": f"¥{low}–{high // 100}" if high else f"¥{low}+"}
            values.append(
                {
                    **value,
                    "chosen": chosen,
                    "url": _url(state, **{param: "" if chosen else value[key]}),
                }
            )
        if values:
            out.append({"group": group, "values": values})
    return out


@require_GET
def results(request):
    state = _clean(request.GET)
    query = state["q"]
    terms = search_terms(query)
    filters = Filters(
        category=state["category"],
        region=state["region"],
        shop=state["shop"],
        price=state["price"],
        shipping=state["shipping"],
    )
    found = selectors.search_products(
        query, filters, state["sort"] or "relevance", with_facets=bool(query)
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    first_page = page.number == 1
    context = {
        "q": query,
        "page": page,
        "sorts": [
            {
                "label": label,
                "url": _url(state, sort="" if key == "relevance" else key),
                "chosen": (state["sort"] or "relevance") == key,
            }
            for key, label in SORTS.items()
        ],
        "facet_groups": _facet_links(state, found.facets or {}),
        "filtered": filters.active(),
        # The query matched more than one search scores (docs/search.md, "Speed").
        "capped": getattr(found, "capped", False),
        "clear_url": _url({"q": query}),
        # A query that finds little: a corrected spelling; one that finds nothing: where to browse.
        "did_you_mean": suggest.did_you_mean(found.parsed) if query and len(found) < 3 else "",
        "related": suggest.related_categories() if query and not len(found) else [],
    }
    if request.htmx:
        # A filter, sort or page link clicked with JavaScript on: only the results region.
        response = render(request, "search/results.html#results", context)
    else:
        # Shops and villages only on the first page: later pages are about products.
        context["shops"] = selectors.search_shops(terms) if first_page else []
        context["villages"] = selectors.search_villages(terms) if first_page else []
        response = render(request, "search/results.html", context)
    patch_vary_headers(response, ["HX-Request"])  # a cache must not answer a page with a part
    return response
