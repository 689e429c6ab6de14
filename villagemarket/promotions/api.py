"""Promotions API (mounted at /api/v1/promotions/): coupons a buyer may claim, claiming, my
coupons, shop staff's promotions, and the quote checkout will call.

Amounts are integers in minor units (`*_minor`) of `currency` (docs/api.md); times carry their
UTC offset. The quote reads prices from the database: a client never sends a price.
"""

# No `from __future__ import annotations`: @paginate rebuilds the signature from real types.
from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AwareDatetime, StrictBool, StrictInt

from villagemarket.accounts.auth import user_auth
from villagemarket.catalog.models import Product
from villagemarket.catalog.rules import Quantity
from villagemarket.core.idempotency import idempotent
from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import DbId, Name
from villagemarket.shops.models import Shop
from villagemarket.shops.permissions import shop_for_member

from . import pricing, rules, selectors, services

router = Router(tags=["promotions"])

ShopSlug = Annotated[Name, Field(max_length=80)]
AmountMinor = Annotated[StrictInt, Field(ge=1, le=rules.MAX_AMOUNT_MINOR)]
Count = Annotated[StrictInt, Field(ge=1, le=rules.MAX_QUANTITY)]
PromoName = Annotated[Name, Field(max_length=60)]


class PromoCouponOut(Schema):
    id: int
    name: str
    funder: str = Field(..., description="shop or platform: who pays for the saving")
    shop_slug: str | None = None
    amount_minor: int
    threshold_minor: int
    currency: str
    starts_at: datetime
    ends_at: datetime
    per_buyer_limit: int
    total_quantity: int | None
    claimed_count: int
    budget_minor: int | None = None
    state: str = Field(..., description="scheduled, running or ended")

    @staticmethod
    def resolve_shop_slug(obj):
        return obj.shop.slug if obj.shop_id else None

    @staticmethod
    def resolve_state(obj):
        return obj.state()


class CouponClaimOut(Schema):
    id: int
    coupon: PromoCouponOut
    status: str = Field(..., description="available, used or void")
    claimed_at: datetime
    used_at: datetime | None
    used_order_id: int | None


class ShopCouponIn(Schema):
    name: PromoName
    amount_minor: AmountMinor
    threshold_minor: AmountMinor
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    per_buyer_limit: Annotated[StrictInt, Field(ge=1, le=rules.MAX_PER_BUYER)] = 1
    total_quantity: Count | None = None
    budget_minor: AmountMinor | None = None


class TierSchema(Schema):
    threshold_minor: AmountMinor
    save_minor: AmountMinor


class SpendSaveIn(Schema):
    name: PromoName
    tiers: Annotated[list[TierSchema], Field(min_length=1, max_length=rules.MAX_TIERS)]
    every: StrictBool = False
    max_save_minor: AmountMinor | None = None
    budget_minor: AmountMinor | None = None
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class SpendSaveOut(Schema):
    id: int
    name: str
    funder: str
    tiers: list[TierSchema]
    every: bool
    max_save_minor: int | None
    budget_minor: int | None
    currency: str
    starts_at: datetime
    ends_at: datetime
    state: str

    @staticmethod
    def resolve_state(obj):
        return obj.state()


class SalePriceIn(Schema):
    name: PromoName
    sku_id: DbId
    price_minor: AmountMinor
    quantity_limit: Count | None = None
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class SalePriceOut(Schema):
    id: int
    name: str
    sku_id: int
    price_minor: int
    currency: str
    quantity_limit: int | None
    sold_count: int
    starts_at: datetime
    ends_at: datetime
    state: str

    @staticmethod
    def resolve_state(obj):
        return obj.state()


class QuoteLineIn(Schema):
    sku_id: DbId
    quantity: Quantity


class PromotionQuoteIn(Schema):
    lines: Annotated[list[QuoteLineIn], Field(min_length=1, max_length=services.MAX_QUOTE_LINES)]
    claim_ids: Annotated[list[DbId], Field(max_length=services.MAX_QUOTE_CLAIMS)] | None = Field(
        None, description="Coupons to use; omitted: the best of every coupon you may use."
    )


class ShareOut(Schema):
    key: str = Field(..., description="<kind>:<promotion id>")
    kind: str
    funder: str
    amount_minor: int


class QuoteLineOut(Schema):
    sku_id: int
    shop_id: int
    quantity: int
    unit_price_minor: int
    list_amount_minor: int
    discount_minor: int
    paid_minor: int
    shares: list[ShareOut]


class QuoteShopOut(Schema):
    shop_id: int
    list_amount_minor: int
    discount_minor: int
    paid_minor: int
    lines: list[QuoteLineOut]


class SavingOut(Schema):
    key: str
    kind: str
    funder: str
    promotion_id: int
    shop_id: int | None
    claim_id: int | None
    amount_minor: int


class PromotionQuoteOut(Schema):
    currency: str
    list_total_minor: int
    discount_total_minor: int
    total_minor: int
    shop_funded_minor: int
    platform_funded_minor: int
    savings: list[SavingOut]
    shops: list[QuoteShopOut]


def _line_out(line: pricing.LineQuote) -> dict:
    return {
        "sku_id": line.sku_id,
        "shop_id": line.shop_id,
        "quantity": line.quantity,
        "unit_price_minor": line.unit_price.minor,
        "list_amount_minor": line.list_amount.minor,
        "discount_minor": line.discount.minor,
        "paid_minor": line.paid.minor,
        "shares": [
            {"key": s.key, "kind": s.kind, "funder": s.funder, "amount_minor": s.amount.minor}
            for s in line.shares
        ],
    }


def quote_out(quote: pricing.Quote) -> dict:
    return {
        "currency": quote.total.currency,
        "list_total_minor": quote.list_total.minor,
        "discount_total_minor": quote.discount_total.minor,
        "total_minor": quote.total.minor,
        "shop_funded_minor": quote.funded_by(rules.SHOP).minor,
        "platform_funded_minor": quote.funded_by(rules.PLATFORM).minor,
        "savings": [
            {
                "key": s.key,
                "kind": s.kind,
                "funder": s.funder,
                "promotion_id": s.promotion_id,
                "shop_id": s.shop_id,
                "claim_id": s.claim_id,
                "amount_minor": s.amount.minor,
            }
            for s in quote.savings
        ],
        "shops": [
            {
                "shop_id": shop.shop_id,
                "list_amount_minor": shop.list_amount.minor,
                "discount_minor": shop.discount.minor,
                "paid_minor": shop.paid.minor,
                "lines": [_line_out(line) for line in shop.lines],
            }
            for shop in quote.shops
        ],
    }


# --- buyers ---------------------------------------------------------------------------------


@router.get(
    "shops/{slug}/coupons", response=list[PromoCouponOut], summary="Coupons of a shop to claim"
)
def shop_coupons(request: HttpRequest, slug: ShopSlug):
    shop = get_object_or_404(Shop, slug=slug, status="active")
    return list(selectors.claimable_coupons(shop_id=shop.pk)[:50])


@router.get(
    "products/{int:product_id}/coupons",
    response=list[PromoCouponOut],
    summary="Coupons to claim on a product page",
)
def product_coupons(request: HttpRequest, product_id: DbId):
    product = get_object_or_404(Product.objects.for_sale(), pk=product_id)
    return list(selectors.claimable_coupons(shop_id=product.shop_id)[:50])


@router.post(
    "coupons/{int:coupon_id}/claim",
    response={201: CouponClaimOut},
    auth=user_auth,
    summary="Claim a coupon",
)
@idempotent
def claim(request: HttpRequest, coupon_id: DbId):
    return Status(201, services.claim_coupon(buyer=request.auth, coupon_id=coupon_id))


@router.get("mine/coupons", response=list[CouponClaimOut], auth=user_auth, summary="My coupons")
@paginate(PageNumber)
def my_coupons(request: HttpRequest):
    return selectors.claims_of(request.auth)


@router.post("quote", response=PromotionQuoteOut, auth=user_auth, summary="Price a cart")
def quote(request: HttpRequest, payload: PromotionQuoteIn):
    lines = [services.QuoteRequestLine(line.sku_id, line.quantity) for line in payload.lines]
    return quote_out(services.quote(request.auth, lines, payload.claim_ids))


# --- shop staff -------------------------------------------------------------------------------


@router.get(
    "shops/{slug}/manage/coupons",
    response=list[PromoCouponOut],
    auth=user_auth,
    summary="My shop's coupons",
)
@paginate(PageNumber)
def manage_coupons(request: HttpRequest, slug: ShopSlug):
    return selectors.shop_promotions(shop_for_member(request.auth, slug))["coupons"]


@router.post(
    "shops/{slug}/manage/coupons",
    response={201: PromoCouponOut},
    auth=user_auth,
    summary="Create a shop coupon",
)
@idempotent
def create_coupon(request: HttpRequest, slug: ShopSlug, payload: ShopCouponIn):
    shop = shop_for_member(request.auth, slug)
    return Status(201, services.save_shop_coupon(shop=shop, user=request.auth, **payload.dict()))


@router.put(
    "shops/{slug}/manage/coupons/{int:coupon_id}",
    response=PromoCouponOut,
    auth=user_auth,
    summary="Change a shop coupon",
)
@idempotent
def change_coupon(request: HttpRequest, slug: ShopSlug, coupon_id: DbId, payload: ShopCouponIn):
    shop = shop_for_member(request.auth, slug)
    return services.save_shop_coupon(
        shop=shop, user=request.auth, coupon_id=coupon_id, **payload.dict()
    )


@router.get(
    "shops/{slug}/manage/spend-save",
    response=list[SpendSaveOut],
    auth=user_auth,
    summary="My shop's spend-and-save offers",
)
@paginate(PageNumber)
def manage_spend_saves(request: HttpRequest, slug: ShopSlug):
    return selectors.shop_promotions(shop_for_member(request.auth, slug))["spend_saves"]


@router.post(
    "shops/{slug}/manage/spend-save",
    response={201: SpendSaveOut},
    auth=user_auth,
    summary="Create a spend-and-save offer",
)
@idempotent
def create_spend_save(request: HttpRequest, slug: ShopSlug, payload: SpendSaveIn):
    shop = shop_for_member(request.auth, slug)
    saved = services.save_shop_spend_save(shop=shop, user=request.auth, **payload.dict())
    return Status(201, saved)


@router.put(
    "shops/{slug}/manage/spend-save/{int:spend_save_id}",
    response=SpendSaveOut,
    auth=user_auth,
    summary="Change a spend-and-save offer",
)
@idempotent
def change_spend_save(
    request: HttpRequest, slug: ShopSlug, spend_save_id: DbId, payload: SpendSaveIn
):
    shop = shop_for_member(request.auth, slug)
    return services.save_shop_spend_save(
        shop=shop, user=request.auth, spend_save_id=spend_save_id, **payload.dict()
    )


@router.get(
    "shops/{slug}/manage/sale-prices",
    response=list[SalePriceOut],
    auth=user_auth,
    summary="My shop's SKU sale prices",
)
@paginate(PageNumber)
def manage_sale_prices(request: HttpRequest, slug: ShopSlug):
    return selectors.shop_promotions(shop_for_member(request.auth, slug))["sale_prices"]


@router.post(
    "shops/{slug}/manage/sale-prices",
    response={201: SalePriceOut},
    auth=user_auth,
    summary="Put a SKU on sale",
)
@idempotent
def create_sale_price(request: HttpRequest, slug: ShopSlug, payload: SalePriceIn):
    shop = shop_for_member(request.auth, slug)
    return Status(201, services.save_sale_price(shop=shop, user=request.auth, **payload.dict()))


@router.put(
    "shops/{slug}/manage/sale-prices/{int:sale_price_id}",
    response=SalePriceOut,
    auth=user_auth,
    summary="Change a SKU sale price",
)
@idempotent
def change_sale_price(
    request: HttpRequest, slug: ShopSlug, sale_price_id: DbId, payload: SalePriceIn
):
    shop = shop_for_member(request.auth, slug)
    return services.save_sale_price(
        shop=shop, user=request.auth, sale_price_id=sale_price_id, **payload.dict()
    )


class EndedOut(Schema):
    id: int
    kind: str
    ended_at: datetime


@router.post(
    "shops/{slug}/manage/{kind}/{int:promotion_id}/end",
    response=EndedOut,
    auth=user_auth,
    summary="End a promotion now (kind: coupons, spend-save or sale-prices)",
)
@idempotent
def end_promotion(request: HttpRequest, slug: ShopSlug, kind: str, promotion_id: DbId):
    shop = shop_for_member(request.auth, slug)
    ended = services.end_promotion(shop=shop, kind=kind, promotion_id=promotion_id)
    return {"id": ended.pk, "kind": kind, "ended_at": ended.ended_at}
