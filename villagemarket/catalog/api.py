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
    low_stock_threshold: int
    specs: list[dict]
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


ThresholdCount = Annotated[StrictInt, Field(ge=0, le=rules.MAX_STOCK)]


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
    low_stock_threshold: ThresholdCount = 5


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
    low_stock_threshold: ThresholdCount | None = None


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


# --- the editor: SKU matrix, bulk table, photos, copy, preview ----------------------------------
class SpecIn(Schema):
    name: Annotated[str, Field(max_length=200)]
    values: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=100)]


class MatrixRowIn(Schema):
    options: Annotated[dict[str, str], Field(max_length=10)] = {}
    price_minor: StrictInt
    stock: StrictInt
    code: Annotated[str, Field(max_length=200)] = ""
    image_id: StrictInt | None = None
    weight_grams: StrictInt | None = None
    expected_stock: StrictInt | None = Field(
        None, description="The stock you last read; the save is refused (409) if it moved."
    )


class MatrixIn(Schema):
    specs: Annotated[list[SpecIn], Field(max_length=10)] = []
    rows: Annotated[list[MatrixRowIn], Field(max_length=500)]


class SpecOut(Schema):
    name: str
    values: list[str]


class MatrixRowOut(SkuOut):
    image_id: int | None = None


class MatrixOut(Schema):
    product: int
    specs: list[SpecOut]
    rows: list[MatrixRowOut]


class BulkChangeIn(Schema):
    sku_id: StrictInt
    price_minor: StrictInt | None = None
    stock: StrictInt | None = None
    expected_stock: StrictInt | None = Field(
        None, description="The stock you last read; the whole save is refused (409) if it moved."
    )


class BulkIn(Schema):
    changes: Annotated[list[BulkChangeIn], Field(min_length=1, max_length=1000)]


class BulkOut(Schema):
    items: list[SkuOut]


class ImageOrderIn(Schema):
    order: Annotated[list[StrictInt], Field(max_length=rules.MAX_IMAGES)]


def _matrix(user, product_id: int) -> dict:
    product = selectors.product_matrix(user, product_id)
    if product is None:
        raise NotFound(_("No such product."))
    return {
        "product": product.pk,
        "specs": selectors.product_specs(product),
        "rows": [s for s in product.skus.all() if s.is_active],
    }


def _images(user, product_id: int) -> list:
    return list(_matrix_product(user, product_id).images.all())


def _matrix_product(user, product_id: int):
    product = selectors.product_matrix(user, product_id)
    if product is None:
        raise NotFound(_("No such product."))
    return product


@router.get("/products/{int:product_id}/matrix", response=MatrixOut, auth=user_auth)
def get_matrix(request, product_id: DbId):
    """The product's specifications and its active SKUs in matrix order (shop staff only)."""
    return _matrix(request.auth, product_id)


@router.put("/products/{int:product_id}/matrix", response=MatrixOut, auth=user_auth)
@idempotent
def put_matrix(request, product_id: DbId, payload: MatrixIn):
    """Replace the specifications and the SKU matrix, one row per combination, all or nothing
    (docs/catalog.md): matching SKUs are updated, new combinations added, gone ones deactivated."""
    data = payload.dict()
    services.set_sku_matrix(request.auth, product_id, data["specs"], data["rows"])
    return _matrix(request.auth, product_id)


@router.post("/shops/{slug}/skus/bulk", response=BulkOut, auth=user_auth)
@idempotent
def bulk_skus(request, slug: Slug, payload: BulkIn):
    """Set prices (minor units) and stock of many of the shop's SKUs: all or nothing; errors are
    keyed `"<sku id>.<field>"`. Send `expected_stock` with each stock so a checkout's
    reservation made since you read it is never overwritten (409 stock_changed)."""
    shop = shop_for_member(request.auth, slug)
    changes = [change.dict(exclude_none=True) for change in payload.changes]
    return {"items": services.bulk_update_skus(request.auth, shop, changes)}


@router.post(
    "/products/{int:product_id}/images/batch",
    response={201: list[ProductImageOut]},
    auth=user_auth,
)
@idempotent
def add_images(request, product_id: DbId, images: File[list[UploadedFile]]):
    """Several photos in one multipart request (field `images`, repeated): all or none."""
    return Status(201, services.add_images(request.auth, product_id, images))


@router.put(
    "/products/{int:product_id}/images/order", response=list[ProductImageOut], auth=user_auth
)
@idempotent
def order_images(request, product_id: DbId, payload: ImageOrderIn):
    """Every image id of the product once, main photo first."""
    services.reorder_images(request.auth, product_id, payload.order)
    return _images(request.auth, product_id)


@router.post(
    "/products/{int:product_id}/images/{int:image_id}/main",
    response=list[ProductImageOut],
    auth=user_auth,
)
@idempotent
def main_image(request, product_id: DbId, image_id: DbId):
    services.set_main_image(request.auth, product_id, image_id)
    return _images(request.auth, product_id)


@router.post("/products/{int:product_id}/copy", response={201: ProductOut}, auth=user_auth)
@idempotent
def copy_product(request, product_id: DbId):
    """A new draft with the same fields, variants (stock 0) and photos."""
    copy = services.copy_product(request.auth, product_id)
    return Status(201, _detail(request.auth, copy.pk))


@router.get("/products/{int:product_id}/preview", response=ProductOut, auth=user_auth)
def preview_product(request, product_id: DbId):
    """The product as buyers will see it, in any status, for its shop's staff only."""
    product = _matrix_product(request.auth, product_id)
    product.visible_skus = [s for s in product.skus.all() if s.is_active]
    return product
