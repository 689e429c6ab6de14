"""The public shop page: an active shop and its products on sale; any other status is a 404.

It lives in catalog, not shops, because it lists products: shops sits below catalog.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import storefront
from .views_storefront import SORT_LABELS, current_sort

PER_PAGE = 24


@require_GET
def detail(request, slug: str):
    shop = storefront.active_shop(slug)
    sort = current_sort(request)
    page = Paginator(storefront.shop_products(shop, sort), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"shop": shop, "page": page, "sort": sort, "sorts": SORT_LABELS}
    return render(request, "catalog/shop_detail.html", context)
