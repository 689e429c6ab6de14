"""Product use-cases: create, edit, publish, delist, relist, operator moderation."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.accounts.permissions import require_operator
from villagemarket.core.errors import Conflict, Invalid, NotFound
from villagemarket.core.validation import parse_db_id
from villagemarket.shops.models import Household, ShopStatus

from .. import rules, states
from ..hooks import products_changed
from ..models import SKU, Category, Product
from ..sanitize import sanitize_description
from ..states import Event
from .common import (
    locked_product,
    move_product,
    refresh_min_price,
    require_shop_staff,
    search_text_for,
)
from .screening import refuse_prohibited_fields, screen_listing
from .skus import add_sku

EDITABLE = (
    "category",
    "household",
    "title",
    "title_en",
    "description",
    "attributes",
    "is_perishable",
    "is_custom_made",
    "returns_7day",
    "low_stock_threshold",
)


def _clean_fields(shop, data: dict, *, partial: bool) -> dict:
    """Validate product fields; every error names its field. Returns only the fields given."""
    errors: dict[str, list[str]] = {}
    out: dict = {}
    text_fields = {
        "title": lambda v: rules.clean_name(
            v, field="title", max_length=rules.MAX_TITLE, required=True
        ),
        "title_en": lambda v: rules.clean_name(v, field="title_en", max_length=rules.MAX_TITLE_EN),
        "description": lambda v: sanitize_description(rules.check_description(v)),
        "attributes": rules.clean_attributes,
    }
    for name, clean in text_fields.items():
        if name in data or (name == "title" and not partial):
            try:
                out[name] = clean(data.get(name))
            except Invalid as exc:
                errors.update(exc.fields)
    if "category" in data or not partial:
        category = data.get("category")
        if not isinstance(category, Category):
            pk = parse_db_id(category)
            category = Category.objects.filter(pk=pk).first() if pk else None
        if category is None:
            errors["category"] = [_("choose a category")]
        out["category"] = category
    if "household" in data or not partial:
        out["household"] = _clean_household(shop, data.get("household"), errors)
    if data.get("low_stock_threshold") is not None:
        try:
            out["low_stock_threshold"] = rules.parse_stock(
                data["low_stock_threshold"], field="low_stock_threshold"
            )
        except Invalid as exc:
            errors.update(exc.fields)
    for flag in ("is_perishable", "is_custom_made", "returns_7day"):
        if flag in data:
            out[flag] = bool(data[flag])
    if errors:
        raise Invalid(_("Please correct the marked fields."), fields=errors)
    refuse_prohibited_fields(out)  # the worst terms are refused outright, in any status
    return out


def _clean_household(shop, value, errors: dict) -> Household | None:
    """Service points name the household that makes the product; other shops must not."""
    household = value
    if value not in (None, "") and not isinstance(value, Household):
        pk = parse_db_id(value)
        household = Household.objects.filter(pk=pk, shop=shop).first() if pk else None
        if household is None:
            errors["household"] = [_("not a household of this shop")]
            return None
    if isinstance(household, Household) and household.shop_id != shop.pk:
        errors["household"] = [_("not a household of this shop")]
        return None
    if shop.is_service_point and household in (None, ""):
        errors["household"] = [_("required for a service point")]
    if not shop.is_service_point and household not in (None, ""):
        errors["household"] = [_("only service points sell for households")]
    return household or None


def _check_policy(product: Product) -> None:
    if product.is_perishable or product.is_custom_made:
        # Sellers tick "perishable" and forget the return box: turning it off is what they mean.
        product.returns_7day = False
    rules.check_return_policy(
        perishable=product.is_perishable,
        custom_made=product.is_custom_made,
        returns_7day=product.returns_7day,
    )


@transaction.atomic
def create_product(user, shop, data: dict, *, skus: list[dict] | None = None) -> Product:
    """Shop staff create a draft product, with its first variants if given, in one transaction.

    A client that may retry sends an Idempotency-Key to the API (core.idempotency), not here.
    """
    require_shop_staff(user, shop)
    fields = _clean_fields(shop, data, partial=False)
    product = Product(shop=shop, created_by=user, **fields)
    _check_policy(product)
    product.search_text = search_text_for(product)
    product.save()
    for sku_data in skus or []:
        add_sku(user, product.pk, sku_data)
    products_changed([product.pk])
    return product


@transaction.atomic
def update_product(user, product_id: int, data: dict) -> Product:
    """Shop staff change a product's fields (any status); search text follows the title."""
    product = locked_product(user, product_id)
    fields = _clean_fields(
        product.shop, {k: v for k, v in data.items() if k in EDITABLE}, partial=True
    )
    for name, value in fields.items():
        setattr(product, name, value)
    _check_policy(product)
    product.search_text = search_text_for(product)
    product.save()
    if product.status in (states.Status.PUBLISHED, states.Status.HELD):
        screen_listing(product, user)  # an edit that matches takes it off sale again
    products_changed([product.pk])
    return product


@transaction.atomic
def publish_product(user, product_id: int) -> Product:
    """Draft or delisted -> published. Needs an active SKU; the shop must not be suspended.

    A listing whose text matches the prohibited terms is held for review instead (status held).

    A pending shop may publish: its products become visible when an operator activates it.
    A product delisted by an operator stays down until an operator relists it.
    """
    product = locked_product(user, product_id)
    if product.is_moderated:
        raise Conflict(
            _("An operator delisted this product: %(reason)s")
            % {"reason": product.moderation_reason},
            code="moderated",
            fields={"status": [_("delisted by an operator")]},
        )
    if product.shop.status == ShopStatus.SUSPENDED:
        raise Conflict(
            _("The shop is suspended."), code="shop_suspended", fields={"shop": [_("suspended")]}
        )
    states.next_status(product.status, Event.PUBLISH)  # refuse before looking at the SKUs
    if not SKU.objects.filter(product=product, is_active=True, price_minor__gt=0).exists():
        raise Invalid(
            _("Add at least one variant with a price before publishing."),
            fields={"skus": [_("at least one active variant with a price")]},
        )
    refresh_min_price(product)
    if screen_listing(product, user):  # held for an operator instead of published
        return product
    return move_product(
        product,
        Event.PUBLISH,
        published_at=product.published_at or timezone.now(),
        moderation_reason="",
    )


relist_product = publish_product


@transaction.atomic
def delist_product(user, product_id: int) -> Product:
    """Published -> delisted by the shop's staff (it stays in the seller center)."""
    product = locked_product(user, product_id)
    return move_product(product, Event.DELIST)


def _require_operator(user) -> None:
    require_operator(user, _("Only operators moderate listings."))


@transaction.atomic
def moderate_delist(operator, product_id: int, reason: str) -> Product:
    """An operator takes a listing down with a reason; the seller cannot relist it."""
    _require_operator(operator)
    reason = " ".join((reason or "").split())[:200]
    if not reason:
        raise Invalid(_("Give a reason."), fields={"reason": [_("required")]})
    product = Product.objects.select_for_update().filter(pk=product_id).first()
    if product is None:
        raise NotFound(_("No such product."))
    return move_product(
        product, Event.MODERATE_DELIST, moderation_reason=reason, moderated_at=timezone.now()
    )


@transaction.atomic
def moderate_publish(operator, product_id: int) -> Product:
    """An operator clears a moderation and puts the product (back) on sale."""
    _require_operator(operator)
    product = Product.objects.select_for_update().filter(pk=product_id).first()
    if product is None:
        raise NotFound(_("No such product."))
    states.next_status(product.status, Event.MODERATE_PUBLISH)
    if not SKU.objects.filter(product=product, is_active=True).exists():
        raise Invalid(_("The product has no active variant."), fields={"skus": [_("none active")]})
    refresh_min_price(product)
    return move_product(
        product,
        Event.MODERATE_PUBLISH,
        moderation_reason="",
        moderated_at=None,
        published_at=product.published_at or timezone.now(),
    )


__all__ = [
    "create_product",
    "update_product",
    "publish_product",
    "relist_product",
    "delist_product",
    "moderate_delist",
    "moderate_publish",
    "require_shop_staff",
]
