"""The catalog API (/api/v1/catalog/): public reads, seller writes with an API token or session.

Money goes out as a decimal string (`price`, `min_price`: "12.50") beside the integer in minor
units (`price_minor`) and its `currency`; prices come in as decimal strings only (see docs/api.md).
"""

# No `from __future__ import annotations`: @paginate rebuilds the signature and needs the real
# Query[...] annotation, not a string.
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import StrictBool, StrictInt

from villagemarket.accounts.auth import token_auth, user_auth
from villagemarket.core.errors import NotFound
from villagemarket.core.idempotency import idempotent
from villagemarket.core.money import MAX_AMOUNT_CHARS
from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import DbId, Name, Text
from villagemarket.shops.permissions import shop_for_member

from . import rules, selectors, services
from .models import SKU, Product, ProductImage

router = Router(tags=["catalog"])

# A price as typed: a decimal string such as "12.50" (never a JSON number: a float may already
# be off by a fen). Money.parse bounds it further (no exponent, no non-ASCII digits).
PriceText = Annotated[str, Field(min_length=1, max_length=MAX_AMOUNT_CHARS, examples=["12.50"])]
StockCount = Annotated[StrictInt, Field(ge=0, le=rules.MAX_STOCK)]
StockChange = Annotated[StrictInt, Field(ge=-rules.MAX_STOCK, le=rules.MAX_STOCK)]
Grams = Annotated[StrictInt, Field(ge=1, le=1_000_000)]
Title = Annotated[Name, Field(max_length=rules.MAX_TITLE)]
TitleEn = Annotated[Name, Field(max_length=rules.MAX_TITLE_EN)]
Description = Annotated[Text, Field(max_length=rules.MAX_DESCRIPTION)]
Slug = Annotated[Name, Field(max_length=80)]
SkuCode = Annotated[Name, Field(max_length=rules.MAX_SKU_CODE)]
Attributes = Annotated[dict[Name, Name], Field(max_length=rules.MAX_ATTRIBUTES)]
Options = Annotated[dict[Name, Name], Field(max_length=rules.MAX_OPTIONS)]


class SkuOut(Schema):
    id: int
    code: str
    options: dict[str, str]
    price: str = Field(..., description='Decimal string in major units, e.g. "12.50".')
    price_minor: int = Field(..., description="The same price in minor units (fen).")
    currency: str
    stock: int
    weight_grams: int
    is_active: bool

    @staticmethod
    def resolve_price(obj: SKU) -> str:
        return str(obj.price.amount)


class ProductImageOut(Schema):
    id: int
    url: str
    width: int
    height: int
    position: int
    alt: str

    @staticmethod
    def resolve_url(obj: ProductImage) -> str:
        return obj.image.url


class ProductSummaryOut(Schema):
    id: int
    title: str
    title_en: str
    status: str
    shop: str = Field(..., alias="shop.slug")
    village_code: str = Field(..., alias="shop.village_id")
    category: int = Field(..., alias="category_id")
    min_price: str = Field(..., description='Decimal string in major units, e.g. "12.50".')
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


class ProductOut(ProductSummaryOut):
    description: str
    attributes: dict
    household: int | None = Field(None, alias="household_id")
    is_perishable: bool
    is_custom_made: bool
    returns_7day: bool
    moderation_reason: str
    images: list[ProductImageOut]
    skus: list[SkuOut]

    @staticmethod
    def resolve_images(obj: Product) -> list:
        return list(obj.images.all())

    @staticmethod
    def resolve_skus(obj: Product) -> list:
        if hasattr(obj, "visible_skus"):
            return obj.visible_skus
        return list(obj.skus.order_by("-is_active", "position", "id"))


class ProductFilterQuery(Schema):
    category: Slug = Field("", description="Category slug or id; its subcategories count too.")
    shop: Slug = ""
    region: str = Field("", pattern=r"^[0-9]{0,12}$", description="Region code prefix.")
    q: Annotated[Name, Field(max_length=100)] = ""


class ProductIn(Schema):
    shop: Slug
    category: DbId
    title: Title
    title_en: TitleEn = ""
    description: Description = ""
    attributes: Attributes = {}
    household: DbId | None = None
    is_perishable: StrictBool = False
    is_custom_made: StrictBool = False
    returns_7day: StrictBool = True


class ProductPatch(Schema):
    category: DbId | None = None
    title: Title | None = None
    title_en: TitleEn | None = None
    description: Description | None = None
    attributes: Attributes | None = None
    household: DbId | None = None
    is_perishable: StrictBool | None = None
    is_custom_made: StrictBool | None = None
    returns_7day: StrictBool | None = None


class SkuIn(Schema):
    options: Options = {}
    price: PriceText
    stock: StockCount = 0
    weight_grams: Grams = 500
    code: SkuCode = ""


class SkuPatch(Schema):
    options: Options | None = None
    price: PriceText | None = None
    weight_grams: Grams | None = None
    code: SkuCode | None = None
    is_active: StrictBool | None = None


class SkuStockIn(Schema):
    delta: StockChange | None = None
    set: StockCount | None = None


class CategoryOut(Schema):
    id: int
    slug: str
    name: str
    name_en: str
    children: list["CategoryOut"] = []


def _viewer(request):
    """The signed-in user (session) or the token's user; None for an anonymous reader. A public
    read with a revoked or unknown token answers as to anybody (writes answer 401)."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return request.user
    if not request.headers.get("Authorization"):
        return None
    try:
        return token_auth(request)
    except AuthenticationError:
        return None


def _detail(user, pk: int) -> Product:
    product = selectors.product_for_viewer(user, pk)
    if product is None:
        raise NotFound(_("No such product."))
    return product


# --- public reads -------------------------------------------------------------------------------
@router.get("/categories", response=list[CategoryOut])
def categories(request):
    """The whole category tree (small; not paginated: it is one tree, not a list)."""
    return selectors.category_tree()


@router.get("/products", response=list[ProductSummaryOut])
@paginate(PageNumber)
def products(request, filters: Query[ProductFilterQuery]):
    return selectors.public_products(
        category=filters.category, shop=filters.shop, region=filters.region, q=filters.q
    )


@router.get("/products/{int:product_id}", response=ProductOut)
def product_detail(request, product_id: DbId):
    return _detail(_viewer(request), product_id)


# --- seller writes (each may be retried with an Idempotency-Key) --------------------------------
@router.post("/products", response={201: ProductOut}, auth=user_auth)
@idempotent
def create_product(request, payload: ProductIn):
    """Create a draft. Send `Idempotency-Key` to make a retry return the same product."""
    shop = shop_for_member(request.auth, payload.shop)
    product = services.create_product(request.auth, shop, payload.dict(exclude={"shop"}))
    return Status(201, _detail(request.auth, product.pk))


@router.patch("/products/{int:product_id}", response=ProductOut, auth=user_auth)
@idempotent
def update_product(request, product_id: DbId, payload: ProductPatch):
    services.update_product(request.auth, product_id, payload.dict(exclude_unset=True))
    return _detail(request.auth, product_id)


@router.post("/products/{int:product_id}/publish", response=ProductOut, auth=user_auth)
@idempotent
def publish_product(request, product_id: DbId):
    services.publish_product(request.auth, product_id)
    return _detail(request.auth, product_id)


@router.post("/products/{int:product_id}/delist", response=ProductOut, auth=user_auth)
@idempotent
def delist_product(request, product_id: DbId):
    services.delist_product(request.auth, product_id)
    return _detail(request.auth, product_id)


@router.post("/products/{int:product_id}/skus", response={201: SkuOut}, auth=user_auth)
@idempotent
def add_sku(request, product_id: DbId, payload: SkuIn):
    return Status(201, services.add_sku(request.auth, product_id, payload.dict()))


@router.patch("/products/{int:product_id}/skus/{int:sku_id}", response=SkuOut, auth=user_auth)
@idempotent
def update_sku(request, product_id: DbId, sku_id: DbId, payload: SkuPatch):
    return services.update_sku(request.auth, product_id, sku_id, payload.dict(exclude_unset=True))


@router.delete("/products/{int:product_id}/skus/{int:sku_id}", response={204: None}, auth=user_auth)
def remove_sku(request, product_id: DbId, sku_id: DbId):
    services.remove_sku(request.auth, product_id, sku_id)
    return Status(204, None)


@router.post("/products/{int:product_id}/skus/{int:sku_id}/stock", response=SkuOut, auth=user_auth)
@idempotent
def adjust_stock(request, product_id: DbId, sku_id: DbId, payload: SkuStockIn):
    """`{"delta": -3}` removes 3 (out_of_stock below zero); `{"set": 10}` counts afresh.
    A retried change with the same Idempotency-Key is applied once."""
    return services.adjust_stock(
        request.auth, product_id, sku_id, delta=payload.delta, set_to=payload.set
    )


@router.post("/products/{int:product_id}/images", response={201: ProductImageOut}, auth=user_auth)
@idempotent
def add_image(
    request,
    product_id: DbId,
    image: File[UploadedFile],
    alt: Form[str] = "",
):
    return Status(201, services.add_image(request.auth, product_id, image, alt=alt))


@router.delete(
    "/products/{int:product_id}/images/{int:image_id}", response={204: None}, auth=user_auth
)
def remove_image(request, product_id: DbId, image_id: DbId):
    services.remove_image(request.auth, product_id, image_id)
    return Status(204, None)
