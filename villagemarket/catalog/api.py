"""The catalog API (/api/v1/catalog/): public reads, seller writes with an API token or session."""

from __future__ import annotations

import math

from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from villagemarket.accounts.auth import token_auth, user_auth
from villagemarket.core.errors import NotFound
from villagemarket.shops.permissions import shop_for_member

from . import selectors, services
from .models import SKU, Product, ProductImage

router = Router(tags=["catalog"])


class SkuOut(Schema):
    id: int
    code: str
    options: dict[str, str]
    price: str
    price_minor: int
    currency: str
    stock: int
    weight_grams: int
    is_active: bool

    @staticmethod
    def resolve_price(obj: SKU) -> str:
        return str(obj.price.amount)


class ImageOut(Schema):
    id: int
    url: str
    width: int
    height: int
    position: int
    alt: str

    @staticmethod
    def resolve_url(obj: ProductImage) -> str:
        return obj.image.url


class ProductSummary(Schema):
    id: int
    title: str
    title_en: str
    status: str
    shop: str = Field(..., alias="shop.slug")
    village_code: str = Field(..., alias="shop.village_id")
    category: int = Field(..., alias="category_id")
    min_price: str
    min_price_minor: int
    currency: str
    image: str | None = None

    @staticmethod
    def resolve_min_price(obj: Product) -> str:
        return str(obj.min_price.amount)

    @staticmethod
    def resolve_image(obj: Product) -> str | None:
        images = list(obj.images.all())
        return images[0].image.url if images else None


class ProductOut(ProductSummary):
    description: str
    attributes: dict
    household: int | None = Field(None, alias="household_id")
    is_perishable: bool
    is_custom_made: bool
    returns_7day: bool
    moderation_reason: str
    images: list[ImageOut]
    skus: list[SkuOut]

    @staticmethod
    def resolve_images(obj: Product) -> list:
        return list(obj.images.all())

    @staticmethod
    def resolve_skus(obj: Product) -> list:
        if hasattr(obj, "visible_skus"):
            return obj.visible_skus
        return list(obj.skus.order_by("-is_active", "position", "id"))


class ProductPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ProductSummary]


class ProductFilters(Schema):
    category: str = ""
    shop: str = ""
    region: str = Field("", pattern=r"^\d{0,12}$")
    q: str = Field("", max_length=100)
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=50)


class ProductIn(Schema):
    shop: str
    category: int
    title: str = Field(..., max_length=200)
    title_en: str = ""
    description: str = ""
    attributes: dict[str, str] = {}
    household: int | None = None
    is_perishable: bool = False
    is_custom_made: bool = False
    returns_7day: bool = True


class ProductPatch(Schema):
    category: int | None = None
    title: str | None = Field(None, max_length=200)
    title_en: str | None = None
    description: str | None = None
    attributes: dict[str, str] | None = None
    household: int | None = None
    is_perishable: bool | None = None
    is_custom_made: bool | None = None
    returns_7day: bool | None = None


class SkuIn(Schema):
    options: dict[str, str] = {}
    price: str | int | float
    stock: int = 0
    weight_grams: int = 500
    code: str = ""


class SkuPatch(Schema):
    options: dict[str, str] | None = None
    price: str | int | float | None = None
    weight_grams: int | None = None
    code: str | None = None
    is_active: bool | None = None


class StockIn(Schema):
    delta: int | None = None
    set: int | None = None


class CategoryOut(Schema):
    id: int
    slug: str
    name: str
    name_en: str
    children: list[CategoryOut] = []


def _viewer(request):
    """The signed-in user (session) or the token's user; None for an anonymous reader."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return request.user
    return token_auth(request) if request.headers.get("Authorization") else None


def _detail(user, pk: int) -> Product:
    product = selectors.product_for_viewer(user, pk)
    if product is None:
        raise NotFound("No such product.")
    return product


# --- public reads -------------------------------------------------------------------------------
@router.get("/categories", response=list[CategoryOut])
def categories(request):
    return selectors.category_tree()


@router.get("/products", response=ProductPage)
def products(request, filters: Query[ProductFilters]):
    qs = selectors.public_products(
        category=filters.category, shop=filters.shop, region=filters.region, q=filters.q
    )
    count = qs.count()
    start = (filters.page - 1) * filters.page_size
    items = list(qs[start : start + filters.page_size])
    pages = max(1, math.ceil(count / filters.page_size))
    return {"count": count, "page": filters.page, "pages": pages, "items": items}


@router.get("/products/{int:product_id}", response=ProductOut)
def product_detail(request, product_id: int):
    return _detail(_viewer(request), product_id)


# --- seller writes ------------------------------------------------------------------------------
@router.post("/products", response={201: ProductOut}, auth=user_auth)
def create_product(request, payload: ProductIn):
    """Create a draft. Send `Idempotency-Key` to make a retry return the same product."""
    shop = shop_for_member(request.auth, payload.shop)
    data = payload.dict(exclude={"shop"})
    product = services.create_product(
        request.auth, shop, data, idempotency_key=request.headers.get("Idempotency-Key", "")
    )
    return Status(201, _detail(request.auth, product.pk))


@router.patch("/products/{int:product_id}", response=ProductOut, auth=user_auth)
def update_product(request, product_id: int, payload: ProductPatch):
    services.update_product(request.auth, product_id, payload.dict(exclude_unset=True))
    return _detail(request.auth, product_id)


@router.post("/products/{int:product_id}/publish", response=ProductOut, auth=user_auth)
def publish_product(request, product_id: int):
    services.publish_product(request.auth, product_id)
    return _detail(request.auth, product_id)


@router.post("/products/{int:product_id}/delist", response=ProductOut, auth=user_auth)
def delist_product(request, product_id: int):
    services.delist_product(request.auth, product_id)
    return _detail(request.auth, product_id)


@router.post("/products/{int:product_id}/skus", response={201: SkuOut}, auth=user_auth)
def add_sku(request, product_id: int, payload: SkuIn):
    return Status(201, services.add_sku(request.auth, product_id, payload.dict()))


@router.patch("/products/{int:product_id}/skus/{int:sku_id}", response=SkuOut, auth=user_auth)
def update_sku(request, product_id: int, sku_id: int, payload: SkuPatch):
    return services.update_sku(request.auth, product_id, sku_id, payload.dict(exclude_unset=True))


@router.delete("/products/{int:product_id}/skus/{int:sku_id}", response={204: None}, auth=user_auth)
def remove_sku(request, product_id: int, sku_id: int):
    services.remove_sku(request.auth, product_id, sku_id)
    return Status(204, None)


@router.post("/products/{int:product_id}/skus/{int:sku_id}/stock", response=SkuOut, auth=user_auth)
def adjust_stock(request, product_id: int, sku_id: int, payload: StockIn):
    """`{"delta": -3}` removes 3 (out_of_stock below zero); `{"set": 10}` counts afresh."""
    return services.adjust_stock(
        request.auth, product_id, sku_id, delta=payload.delta, set_to=payload.set
    )


@router.post("/products/{int:product_id}/images", response={201: ImageOut}, auth=user_auth)
def add_image(request, product_id: int, image: File[UploadedFile], alt: Form[str] = ""):
    return Status(201, services.add_image(request.auth, product_id, image, alt=alt))


@router.delete(
    "/products/{int:product_id}/images/{int:image_id}", response={204: None}, auth=user_auth
)
def remove_image(request, product_id: int, image_id: int):
    services.remove_image(request.auth, product_id, image_id)
    return Status(204, None)
