"""The search slice's API router, mounted by villagemarket.api.api under /api/v1/search/.

Three lists, each paginated like every list of the API (`page`, `size`; `{items, count, page,
pages}`): products by relevance, shops and villages. `q` is split into terms once per request.
"""

# No `from __future__ import annotations`: @paginate rebuilds the signature from real types.
from typing import Annotated

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import Name

from . import selectors
from .terms import MAX_QUERY, search_terms

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: Annotated[Name, Field(max_length=MAX_QUERY)] = Field(
        "", description="Chinese, pinyin (full or initials) or English; every term must match."
    )


class SearchProductOut(Schema):
    id: int
    title: str
    title_en: str
    price_minor: int = Field(..., description="Lowest price, in minor units of `currency`.")
    currency: str
    shop_slug: str = Field(..., alias="shop.slug")
    shop_name: str = Field(..., alias="shop.name")
    village_code: str = Field(..., alias="shop.village_id")
    village_name: str = Field(..., alias="shop.village.short_name")
    image: str | None
    score: int

    @staticmethod
    def resolve_price_minor(obj) -> int:
        return obj.min_price_minor

    @staticmethod
    def resolve_image(obj) -> str | None:
        images = list(obj.images.all())
        return images[0].image.url if images else None


class SearchShopOut(Schema):
    slug: str
    name: str
    name_en: str
    village_code: str = Field(..., alias="village_id")


class SearchVillageOut(Schema):
    code: str
    name: str = Field(..., alias="short_name")
    township: str

    @staticmethod
    def resolve_township(obj) -> str:
        return obj.parent.short_name if obj.parent else ""


@router.get("/products", response=list[SearchProductOut], auth=None)
@paginate(PageNumber)
def search_products(request, query: Query[SearchQuery]):
    """Published products of active shops matching every term; most relevant first, then newest."""
    return selectors.search_products(search_terms(query.q))


@router.get("/shops", response=list[SearchShopOut], auth=None)
@paginate(PageNumber)
def search_shops(request, query: Query[SearchQuery]):
    """Active shops whose name (zh or en) or village matches every term."""
    return selectors.matching_shops(search_terms(query.q))


@router.get("/villages", response=list[SearchVillageOut], auth=None)
@paginate(PageNumber)
def search_villages(request, query: Query[SearchQuery]):
    """Villages whose name contains every term or whose pinyin starts with it."""
    return selectors.matching_villages(search_terms(query.q))
