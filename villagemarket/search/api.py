"""The search slice's API router, mounted by villagemarket.api.api under /api/v1/search/.

Three lists, each paginated like every list of the API (`page`, `size`; `{items, count, page,
pages}`): products by relevance, shops and villages. `q` is split into terms once per request.
"""

# No `from __future__ import annotations`: @paginate rebuilds the signature from real types.
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import Name

from . import selectors
from .facets import Filters
from .suggest import suggestions
from .terms import MAX_QUERY, search_terms

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: Annotated[Name, Field(max_length=MAX_QUERY)] = Field(
        "",
        description="Chinese, pinyin (full or initials) or English; words are weighted, not all "
        "required.",
    )


SortName = Literal["relevance", "sales", "price_up", "price_down", "newest"]


class ProductSearchQuery(SearchQuery):
    sort: SortName = Field(
        "relevance", description="relevance, sales, price_up, price_down, newest"
    )
    category: Annotated[str, Field(max_length=80, pattern=r"^[-a-zA-Z0-9_]*$")] = Field(
        "", description="Category slug (includes the categories below it)."
    )
    region: Annotated[str, Field(max_length=12, pattern=r"^[0-9]*$")] = Field(
        "", description="Origin region code at any level (province 2 digits ... village 12)."
    )
    shop: Annotated[str, Field(max_length=80, pattern=r"^[-a-zA-Z0-9_]*$")] = Field(
        "", description="Shop slug."
    )
    price: Annotated[str, Field(max_length=24, pattern=r"^([0-9]{1,10}-[0-9]{0,10})?$")] = Field(
        "", description='Price range in minor units, "low-high" or "low-" (e.g. "2000-5000").'
    )

    shipping: Literal["", "free"] = Field(
        "", description='"free": only products that ship free to every province (docs/search.md).'
    )

    def filters(self) -> Filters:
        return Filters(
            category=self.category,
            region=self.region,
            shop=self.shop,
            price=self.price,
            shipping=self.shipping,
        )


class FacetValue(Schema):
    count: int
    name: str = ""
    slug: str = ""
    code: str = ""
    parent: str = ""
    key: str = ""
    low: int | None = None
    high: int | None = None


class FacetsOut(Schema):
    count: int
    capped: bool = Field(
        False,
        description="True when more products matched than one search ranks: `count` and the "
        "facet counts then cover the best-ranked ones only (docs/search.md).",
    )
    categories: list[FacetValue]
    prices: list[FacetValue]
    province: list[FacetValue]
    county: list[FacetValue]
    village: list[FacetValue]
    shops: list[FacetValue]
    shipping: list[FacetValue] = Field(
        ..., description='[{"key": "free", "count": n}] when some products ship free.'
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
def search_products(request, query: Query[ProductSearchQuery]):
    """Published products of active shops for the query, best first (docs/search.md), or in
    the order of `sort`; narrowed by category, origin region, shop, price range and free
    shipping."""
    return selectors.search_products(query.q, query.filters(), query.sort)


@router.get("/products/facets", response=FacetsOut, auth=None)
def search_product_facets(request, query: Query[ProductSearchQuery]):
    """Counts per category (tree), price range, origin province / county / village, shop and
    free shipping of the products the same parameters find."""
    results = selectors.search_products(query.q, query.filters(), with_facets=True)
    return {"count": len(results), "capped": results.capped, **results.facets}


class SuggestionsOut(Schema):
    products: list[dict]
    categories: list[dict]
    shops: list[dict]
    villages: list[dict]


@router.get("/suggest", response=SuggestionsOut, auth=None)
def suggest(request, query: Query[SearchQuery]):
    """While typing: products (by title, pinyin or initials prefix), categories, shops, villages."""
    return suggestions(query.q)


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
