"""Shops API (mounted at /api/v1/shops/): public reads of active shops, my shops, open a shop."""

import re
from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from villagemarket.accounts.auth import user_auth
from villagemarket.core.errors import Invalid, NotFound
from villagemarket.core.idempotency import idempotent
from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import Name, Text

from . import selectors, services
from .models import Shop

router = Router(tags=["shops"])

REGION_PREFIX = re.compile(r"[0-9]{1,12}")


class ShopVillageOut(Schema):
    code: str
    name: str
    short_name: str
    name_latin: str
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
    village: ShopVillageOut
    opened_at: datetime

    @staticmethod
    def resolve_logo_url(shop: Shop) -> str | None:
        return shop.logo.url if shop.logo else None

    @staticmethod
    def resolve_opened_at(shop: Shop) -> datetime:
        return shop.created_at


class MyShopOut(Schema):
    role: str
    shop: ShopOut
    phone: str
    ship_from_address: str
    commission_bp: int


class ShopListQuery(Schema):
    region: Text = Field(
        "", max_length=12, description="Region code prefix: 37 (province), 371721 (county), …"
    )


class OpenShopIn(Schema):
    name: Name = Field(..., max_length=80)
    slug: Name = Field(..., max_length=50)
    village: Name = Field(..., max_length=12, description="12-digit village code")
    ship_from_address: Name = Field(..., max_length=200)
    phone: Name = Field(..., max_length=20)
    name_en: Name = Field("", max_length=120)
    description: Text = Field("", max_length=5000)
    kind: Name = Field("household", max_length=20)


@router.get("", response=list[ShopOut], summary="Active shops, optionally under a region")
@paginate(PageNumber)
def list_shops(request: HttpRequest, filters: Query[ShopListQuery]):
    if filters.region and not REGION_PREFIX.fullmatch(filters.region):
        raise Invalid(_("A region code is up to 12 digits."), fields={"region": [_("not a code")]})
    return selectors.active_shops(filters.region)


@router.get("mine", response=list[MyShopOut], auth=user_auth, summary="Shops I own or work for")
@paginate(PageNumber)
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


@router.post("", response={201: ShopOut}, auth=user_auth, summary="Open a shop")
@idempotent
def open_shop(request: HttpRequest, payload: OpenShopIn):
    """Opens a pending shop owned by the caller. Send `Idempotency-Key` to retry safely: a retry
    with the same key and body answers exactly as the first call did (core.idempotency)."""
    return Status(201, services.open_shop(request.auth, **payload.dict()))
