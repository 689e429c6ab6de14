"""Shipping API (mounted at /api/v1/shipping/): shop staff manage freight templates."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema

from villagemarket.accounts.auth import user_auth
from villagemarket.shops.permissions import shop_for_member

from . import selectors, services

router = Router(tags=["shipping"], auth=user_auth)


class RuleSchema(Schema):
    provinces: list[str] = Field(
        default_factory=list, description="2-digit province codes; empty = all others"
    )
    first_minor: int
    additional_minor: int
    free_above_minor: int | None = None


class TemplateIn(Schema):
    name: str
    basis: str = Field("piece", description="piece or weight")
    excluded_provinces: list[str] = Field(default_factory=list)
    is_default: bool = False
    rules: list[RuleSchema]


class TemplateOut(Schema):
    id: int
    name: str
    basis: str
    excluded_provinces: list[str]
    is_default: bool
    rules: list[RuleSchema]

    @staticmethod
    def resolve_rules(obj):
        return list(obj.rules.all())


@router.get(
    "shops/{slug}/templates", response=list[TemplateOut], summary="My shop's freight templates"
)
def list_templates(request: HttpRequest, slug: str):
    return list(selectors.templates_of(shop_for_member(request.auth, slug)))


@router.post(
    "shops/{slug}/templates", response={201: TemplateOut}, summary="Add a freight template"
)
def create_template(request: HttpRequest, slug: str, payload: TemplateIn):
    shop = shop_for_member(request.auth, slug)
    data = payload.dict()
    return 201, services.save_template(shop=shop, **data)


@router.put(
    "shops/{slug}/templates/{int:template_id}",
    response=TemplateOut,
    summary="Replace a freight template",
)
def update_template(request: HttpRequest, slug: str, template_id: int, payload: TemplateIn):
    shop = shop_for_member(request.auth, slug)
    return services.save_template(shop=shop, template_id=template_id, **payload.dict())


@router.delete(
    "shops/{slug}/templates/{int:template_id}",
    response={204: None},
    summary="Delete a freight template",
)
def delete_template(request: HttpRequest, slug: str, template_id: int):
    services.delete_template(shop=shop_for_member(request.auth, slug), template_id=template_id)
    return 204, None
