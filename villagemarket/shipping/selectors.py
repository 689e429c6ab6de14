"""Reads of freight templates, shared by checkout, pages and the API."""

from __future__ import annotations

from villagemarket.core.money import Money

from . import pricing
from .models import FreightTemplate


def templates_of(shop):
    return FreightTemplate.objects.filter(shop=shop).prefetch_related("rules")


def default_templates(shop_ids) -> dict[int, FreightTemplate]:
    """Default templates of several shops in two queries (templates, their rules); a shop without
    one is absent (it ships free). Checkout prices every shop's parcel with one call."""
    templates = FreightTemplate.objects.filter(
        shop_id__in=list(shop_ids), is_default=True
    ).prefetch_related("rules")
    return {template.shop_id: template for template in templates}


def freight_for_shop(
    shop_id: int,
    province_code: str,
    *,
    quantity: int,
    weight_grams: int,
    goods: Money,
    templates: dict[int, FreightTemplate],
) -> Money | pricing.NotDelivered:
    """Freight of one shop's parcel to a province under its default template, taken from
    `templates` (from default_templates(): no query); a shop absent from it ships free."""
    template = templates.get(shop_id)
    return pricing.compute_freight(
        template.as_pricing() if template else None,
        province_code,
        quantity=quantity,
        weight_grams=weight_grams,
        goods=goods,
    )
