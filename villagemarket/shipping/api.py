"""Shipping API (mounted at /api/v1/shipping/): shop staff manage freight templates.

Amounts are integers in minor units (`*_minor`) of the template's `currency` (see docs/api.md).
"""

# No `from __future__ import annotations`: @paginate rebuilds the signature from real types.
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool, StrictInt

from villagemarket.accounts.auth import user_auth
from villagemarket.core.idempotency import idempotent
from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import DbId, Name
from villagemarket.shops.permissions import shop_for_member

from . import selectors, services

router = Router(tags=["shipping"], auth=user_auth)

ProvinceCode = Annotated[str, Field(pattern=r"^[0-9]{2}$", examples=["37"])]
Provinces = Annotated[list[ProvinceCode], Field(max_length=services.MAX_PROVINCES)]
AmountMinor = Annotated[StrictInt, Field(ge=0, le=services.MAX_AMOUNT_MINOR)]
ShopSlug = Annotated[Name, Field(max_length=80)]


class FreightRuleSchema(Schema):
    provinces: Provinces = Field(
        default_factory=list, description="2-digit province codes; empty = all others"
    )
    first_minor: AmountMinor = Field(..., description="First item / kg, in minor units.")
    additional_minor: AmountMinor = Field(..., description="Each further item / kg.")
    free_above_minor: AmountMinor | None = Field(
        None, description="Goods at or above this amount ship free."
    )


class FreightTemplateIn(Schema):
    name: Annotated[Name, Field(max_length=60)]
    basis: str = Field("piece", description="piece or weight")
    excluded_provinces: Provinces = Field(default_factory=list)
    is_default: StrictBool = False
    rules: Annotated[list[FreightRuleSchema], Field(max_length=services.MAX_RULES)]


class FreightTemplateOut(Schema):
    id: int
    name: str
    basis: str
    currency: str = Field(..., description="The currency of every *_minor amount.")
    excluded_provinces: list[str]
    is_default: bool
    rules: list[FreightRuleSchema]

    @staticmethod
    def resolve_rules(obj):
        return list(obj.rules.all())


@router.get(
    "shops/{slug}/templates",
    response=list[FreightTemplateOut],
    summary="My shop's freight templates",
)
@paginate(PageNumber)
def list_templates(request: HttpRequest, slug: ShopSlug):
    return selectors.templates_of(shop_for_member(request.auth, slug)).order_by(
        "-is_default", "name", "pk"
    )


@router.post(
    "shops/{slug}/templates", response={201: FreightTemplateOut}, summary="Add a freight template"
)
@idempotent
def create_template(request: HttpRequest, slug: ShopSlug, payload: FreightTemplateIn):
    shop = shop_for_member(request.auth, slug)
    return Status(201, services.save_template(shop=shop, **payload.dict()))


@router.put(
    "shops/{slug}/templates/{int:template_id}",
    response=FreightTemplateOut,
    summary="Replace a freight template",
)
@idempotent
def update_template(
    request: HttpRequest, slug: ShopSlug, template_id: DbId, payload: FreightTemplateIn
):
    shop = shop_for_member(request.auth, slug)
    return services.save_template(shop=shop, template_id=template_id, **payload.dict())


@router.delete(
    "shops/{slug}/templates/{int:template_id}",
    response={204: None},
    summary="Delete a freight template",
)
def delete_template(request: HttpRequest, slug: ShopSlug, template_id: DbId):
    services.delete_template(shop=shop_for_member(request.auth, slug), template_id=template_id)
    return Status(204, None)


class CourierOut(Schema):
    code: str
    name: str
    name_en: str
    tracking_pattern: str = Field(..., description="a regular expression the whole number matches")
    example: str
    tracking_url: str = Field(..., description="the courier's tracking page; {number} is replaced")


@router.get(
    "couriers",
    response=list[CourierOut],
    auth=None,
    summary="Couriers a seller can ship with (codes for the ship endpoints)",
)
@paginate(PageNumber)
def list_couriers(request: HttpRequest):
    from .couriers import active_couriers

    return active_couriers()
