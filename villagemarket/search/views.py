"""The search results page: products (paginated, by relevance), plus matching shops and villages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors
from .terms import MAX_QUERY, search_terms

PER_PAGE = 24


@require_GET
def results(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    terms = search_terms(query)
    page = Paginator(selectors.search_products(terms), PER_PAGE).get_page(request.GET.get("page"))
    first_page = page.number == 1
    context = {
        "q": query,
        "page": page,
        # Shops and villages only on the first page: later pages are about products.
        "shops": selectors.search_shops(terms) if first_page else [],
        "villages": selectors.search_villages(terms) if first_page else [],
    }
    return render(request, "search/results.html", context)
