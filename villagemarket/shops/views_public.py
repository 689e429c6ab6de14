"""The public shop page: only active shops are shown; any other status is a 404."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from villagemarket.catalog import storefront
from villagemarket.catalog.views_storefront import SORT_LABELS, current_sort

PER_PAGE = 24


@require_GET
def detail(request, slug: str):
    shop = storefront.active_shop(slug)
    sort = current_sort(request)
    page = Paginator(storefront.shop_products(shop, sort), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"shop": shop, "page": page, "sort": sort, "sorts": SORT_LABELS}
    return render(request, "shops/public/detail.html", context)
