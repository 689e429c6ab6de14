"""Shops API (mounted at /api/v1/shops/): public reads of active shops, my shops, open a shop."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from villagemarket.accounts.auth import user_auth
from villagemarket.core.errors import Invalid, NotFound

from . import selectors, services
from .models import Shop

router = Router(tags=["shops"])

MAX_PAGE_SIZE = 100


class VillageOut(Schema):
    code: str
    name: str
    short_name: str
    province_code: str
    county_code: str


class ShopOut(Schema):
    slug: str
    name: str
    name_en: str
    description: str
    kind: str
    status: str
    is_service_point: bool
    logo_url: str | None
    village: VillageOut
    opened_at: datetime

    @staticmethod
    def resolve_logo_url(shop: Shop) -> str | None:
        return shop.logo.url if shop.logo else None

    @staticmethod
    def resolve_opened_at(shop: Shop) -> datetime:
        return shop.created_at


class ShopPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ShopOut]


class MyShopOut(Schema):
    role: str
    shop: ShopOut
    phone: str
    ship_from_address: str
    commission_bp: int


class ShopListQuery(Schema):
    region: str = Field("", description="Region code prefix: 37 (province), 371721 (county), …")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class OpenShopIn(Schema):
    name: str = Field(..., max_length=80)
    slug: str = Field(..., max_length=50)
    village: str = Field(..., description="12-digit village code")
    ship_from_address: str = Field(..., max_length=200)
    phone: str = Field(..., max_length=20)
    name_en: str = Field("", max_length=120)
    description: str = Field("", max_length=5000)
    kind: str = "household"


@router.get("", response=ShopPage, summary="Active shops, optionally under a region")
def list_shops(request: HttpRequest, filters: Query[ShopListQuery]):
    if filters.region and not (filters.region.isdigit() and len(filters.region) <= 12):
        raise Invalid(_("A region code is up to 12 digits."), fields={"region": [_("not a code")]})
    qs = selectors.active_shops(filters.region)
    count = qs.count()
    start = (filters.page - 1) * filters.page_size
    results = list(qs[start : start + filters.page_size])
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": results,
    }


@router.get("mine", response=list[MyShopOut], auth=user_auth, summary="Shops I own or work for")
def my_shops(request: HttpRequest):
    return [
        {
            "role": m.role,
            "shop": m.shop,
            "phone": m.shop.phone,
            "ship_from_address": m.shop.ship_from_address,
            "commission_bp": m.shop.commission_bp,
        }
        for m in selectors.memberships_of(request.auth)
    ]


@router.get("{slug}", response=ShopOut, summary="One active shop")
def shop_detail(request: HttpRequest, slug: str):
    shop = selectors.active_shop(slug)
    if shop is None:
        raise NotFound(_("No such shop."))
    return shop


@router.post("", response={201: ShopOut, 200: ShopOut}, auth=user_auth, summary="Open a shop")
def open_shop(request: HttpRequest, payload: OpenShopIn):
    """Opens a pending shop owned by the caller. Send `Idempotency-Key` to retry safely."""
    key = request.headers.get("Idempotency-Key", "")
    before = key and selectors.shop_opened_with_key(request.auth, key)
    shop = services.open_shop(request.auth, idempotency_key=key, **payload.dict())
    return (200 if before else 201), shop
