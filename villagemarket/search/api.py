"""The search slice's API router, mounted by villagemarket.api.api under /api/v1/search/."""

from __future__ import annotations

from django.core.paginator import Paginator
from ninja import Router, Schema

from . import selectors
from .terms import MAX_QUERY, search_terms

router = Router(tags=["search"])
PER_PAGE = 24


class ProductHit(Schema):
    id: int
    title: str
    title_en: str
    price_minor: int
    currency: str
    shop_slug: str
    shop_name: str
    village_code: str
    village_name: str
    image: str | None
    score: int


class ShopHit(Schema):
    slug: str
    name: str
    name_en: str
    village_code: str


class VillageHit(Schema):
    code: str
    name: str
    township: str


class SearchOut(Schema):
    q: str
    page: int
    pages: int
    count: int
    products: list[ProductHit]
    shops: list[ShopHit]
    villages: list[VillageHit]


def _product(p) -> dict:
    images = list(p.images.all())
    return {
        "id": p.pk,
        "title": p.title,
        "title_en": p.title_en,
        "price_minor": p.min_price_minor,
        "currency": p.currency,
        "shop_slug": p.shop.slug,
        "shop_name": p.shop.name,
        "village_code": p.shop.village_id,
        "village_name": p.shop.village.short_name,
        "image": images[0].image.url if images else None,
        "score": p.score,
    }


@router.get("/", response=SearchOut, auth=None)
def search(request, q: str = "", page: int = 1):
    """Products (every term must match; by relevance, then newest), plus shops and villages."""
    query = q.strip()[:MAX_QUERY]
    terms = search_terms(query)
    result = Paginator(selectors.search_products(terms), PER_PAGE).get_page(page)
    return {
        "q": query,
        "page": result.number,
        "pages": result.paginator.num_pages,
        "count": result.paginator.count,
        "products": [_product(p) for p in result.object_list],
        "shops": [
            {"slug": s.slug, "name": s.name, "name_en": s.name_en, "village_code": s.village_id}
            for s in selectors.search_shops(terms)
        ],
        "villages": [
            {
                "code": v.code,
                "name": v.short_name,
                "township": v.parent.short_name if v.parent else "",
            }
            for v in selectors.search_villages(terms)
        ],
    }
