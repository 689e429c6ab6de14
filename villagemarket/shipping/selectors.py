"""Reads of freight templates, shared by checkout, pages and the API."""

from __future__ import annotations

from villagemarket.core.money import Money

from . import pricing
from .models import FreightTemplate


def templates_of(shop):
    return FreightTemplate.objects.filter(shop=shop).prefetch_related("rules")


def default_template(shop_id: int) -> FreightTemplate | None:
    """The shop's default template (prices its checkouts); None means the shop ships free."""
    return (
        FreightTemplate.objects.filter(shop_id=shop_id, is_default=True)
        .prefetch_related("rules")
        .first()
    )


def freight_for_shop(
    shop_id: int, province_code: str, *, quantity: int, weight_grams: int, goods: Money
) -> Money | pricing.NotDelivered:
    """Freight of one shop's parcel to a province under its default template."""
    template = default_template(shop_id)
    return pricing.compute_freight(
        template.as_pricing() if template else None,
        province_code,
        quantity=quantity,
        weight_grams=weight_grams,
        goods=goods,
    )
