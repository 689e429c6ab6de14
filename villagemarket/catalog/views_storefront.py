"""Public storefront pages: category listing and product page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from villagemarket.core import counters

from . import storefront

PER_PAGE = 24
SORT_LABELS = [
    ("newest", _("Newest")),
    ("price_up", _("Price: low to high")),
    ("price_down", _("Price: high to low")),
    ("best_selling", _("Best selling")),
]


def current_sort(request) -> str:
    sort = request.GET.get("sort", storefront.DEFAULT_SORT)
    return sort if sort in storefront.SORTS else storefront.DEFAULT_SORT


@require_GET
def category(request, slug: str):
    cat = storefront.category_by_slug(slug)
    sort = current_sort(request)
    page = Paginator(storefront.category_products(cat, sort), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "category": cat,
        "children": storefront.subcategories(cat),
        "page": page,
        "sort": sort,
        "sorts": SORT_LABELS,
    }
    return render(request, "catalog/storefront/category.html", context)


def _variant_data(skus) -> tuple[list[dict], list[dict]]:
    """Option names with their values (in first-seen order) and the SKUs for the picker script."""
    names: dict[str, list[str]] = {}
    for sku in skus:
        for name, value in (sku.options or {}).items():
            values = names.setdefault(str(name), [])
            if str(value) not in values:
                values.append(str(value))
    groups = [{"name": n, "values": v} for n, v in names.items()]
    data = [
        {
            "id": sku.pk,
            "options": {str(k): str(v) for k, v in (sku.options or {}).items()},
            "price": sku.price.format(),
            "stock": sku.stock,
        }
        for sku in skus
    ]
    return groups, data


@require_GET
def product(request, pk: int):
    item = storefront.product_detail(pk)
    counters.record_product_view(request, item.pk, item.shop_id)
    skus = item.active_skus
    groups, sku_data = _variant_data(skus)
    first = next((s for s in skus if s.stock > 0), skus[0] if skus else None)
    context = {
        "product": item,
        "images": list(item.images.all()),
        "skus": skus,
        "first_sku": first,
        "option_groups": groups,
        "sku_data": sku_data,
        "attributes": list((item.attributes or {}).items())
        if isinstance(item.attributes, dict)
        else [],
    }
    return render(request, "catalog/storefront/product.html", context)
