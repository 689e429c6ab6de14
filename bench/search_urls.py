"""Bench-only URLconf for bench/search.py: the whole site plus one view,
`/bench/like-search?q=`, that answers the way product search did before the index existed
(commit 1c08ef6^, `search.selectors.search_products`): every jieba/latin term must be found by
LIKE in the catalog's `search_text` or the shop's / village's name, ordered by a CASE score
(title 4, search text 2, place 1), then newest; paginated like the API (count + 20 items with
the fields of `GET /api/v1/search/products`).

The ROOT_URLCONF of bench/search_site.py; never imported by the application.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import JsonResponse
from django.urls import include, path

from villagemarket.catalog.models import Product
from villagemarket.catalog.storefront import visible_products
from villagemarket.search.terms import MAX_QUERY, search_terms

TITLE_WEIGHT, TEXT_WEIGHT, PLACE_WEIGHT = 4, 2, 1
PAGE_SIZE = 20  # the API's default page size


def _like_match(term: str) -> Q:
    return (
        Q(search_text__icontains=term)
        | Q(shop__name__icontains=term)
        | Q(shop__name_en__icontains=term)
        | Q(shop__village__short_name__contains=term)
        | Q(shop__village__name_pinyin__startswith=term)
    )


def _like_score(term: str) -> Case:
    return Case(
        When(Q(title__icontains=term) | Q(title_en__icontains=term), then=Value(TITLE_WEIGHT)),
        When(search_text__icontains=term, then=Value(TEXT_WEIGHT)),
        default=Value(PLACE_WEIGHT),
        output_field=IntegerField(),
    )


def like_products(terms: list[str]):
    """The pre-index product search: visible products matching every term, best score first."""
    if not terms:
        return Product.objects.none()
    qs = visible_products()
    score = Value(0, output_field=IntegerField())
    for term in terms:
        qs = qs.filter(_like_match(term))
        score = score + _like_score(term)
    return qs.annotate(score=score).order_by(
        "-score", F("published_at").desc(nulls_last=True), "-created_at", "-id"
    )


def like_search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    page = Paginator(like_products(search_terms(query)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = []
    for product in page.object_list:
        images = list(product.images.all())
        items.append(
            {
                "id": product.pk,
                "title": product.title,
                "title_en": product.title_en,
                "price_minor": product.min_price_minor,
                "currency": product.currency,
                "shop_slug": product.shop.slug,
                "shop_name": product.shop.name,
                "village_code": product.shop.village_id,
                "village_name": product.shop.village.short_name,
                "image": images[0].image.url if images else None,
                "score": product.score,
            }
        )
    return JsonResponse(
        {
            "items": items,
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
        }
    )


urlpatterns = [
    path("bench/like-search", like_search),
    path("", include("villagemarket.config.urls")),
]
