"""Product use-cases: create, edit, publish, delist, relist, operator moderation."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.accounts.permissions import require_operator
from villagemarket.core.errors import Conflict, Invalid, NotFound
from villagemarket.shops.models import Household, ShopStatus

from .. import rules
from ..models import SKU, Category, Product, ProductStatus
from ..sanitize import sanitize_description
from .common import locked_product, refresh_min_price, require_shop_staff, search_text_for
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
)


def _clean_fields(shop, data: dict, *, partial: bool) -> dict:
    """Validate product fields; every error names its field. Returns only the fields given."""
    errors: dict[str, list[str]] = {}
    out: dict = {}
    if "title" in data or not partial:
        title = " ".join(str(data.get("title") or "").split())
        if not title:
            errors["title"] = [_("required")]
        elif len(title) > 120:
            errors["title"] = [_("at most 120 characters")]
        out["title"] = title
    if "title_en" in data:
        out["title_en"] = " ".join(str(data.get("title_en") or "").split())[:160]
    if "description" in data:
        out["description"] = sanitize_description(str(data.get("description") or ""))
    if "attributes" in data:
        attrs = data.get("attributes") or {}
        if not isinstance(attrs, dict) or len(attrs) > 30:
            errors["attributes"] = [_("name/value pairs, at most 30")]
        else:
            out["attributes"] = {str(k)[:40]: str(v)[:200] for k, v in attrs.items()}
    if "category" in data or not partial:
        category = data.get("category")
        if not isinstance(category, Category):
            category = (
                Category.objects.filter(pk=category).first()
                if str(category or "").isdigit()
                else None
            )
        if category is None:
            errors["category"] = [_("choose a category")]
        out["category"] = category
    if "household" in data or not partial:
        out["household"] = _clean_household(shop, data.get("household"), errors)
    for flag in ("is_perishable", "is_custom_made", "returns_7day"):
        if flag in data:
            out[flag] = bool(data[flag])
    if errors:
        raise Invalid(_("Please correct the marked fields."), fields=errors)
    return out


def _clean_household(shop, value, errors: dict) -> Household | None:
    """Service points name the household that makes the product; other shops must not."""
    household = value
    if value not in (None, "") and not isinstance(value, Household):
        household = (
            Household.objects.filter(pk=value, shop=shop).first() if str(value).isdigit() else None
        )
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


def create_product(
    user, shop, data: dict, *, idempotency_key: str = "", skus: list[dict] | None = None
) -> Product:
    """Shop staff create a draft product, with its first variants if given, in one transaction.

    A repeated Idempotency-Key from the same user returns the first product.
    """
    require_shop_staff(user, shop)
    key = (idempotency_key or "").strip()[:80]
    if key:
        earlier = Product.objects.filter(created_by=user, idempotency_key=key).first()
        if earlier is not None:
            return earlier
    fields = _clean_fields(shop, data, partial=False)
    product = Product(shop=shop, created_by=user, idempotency_key=key, **fields)
    _check_policy(product)
    product.search_text = search_text_for(product)
    try:
        with transaction.atomic():
            product.save()
            for sku_data in skus or []:
                add_sku(user, product.pk, sku_data)
    except IntegrityError:
        # Two retries raced with the same key: the other one won; hand back its product.
        earlier = (
            Product.objects.filter(created_by=user, idempotency_key=key).first() if key else None
        )
        if earlier is None:
            raise
        return earlier
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
    return product


@transaction.atomic
def publish_product(user, product_id: int) -> Product:
    """Draft or delisted -> published. Needs an active SKU; the shop must not be suspended.

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
    status = rules.next_status(product.status, "publish")
    if not SKU.objects.filter(product=product, is_active=True, price_minor__gt=0).exists():
        raise Invalid(
            _("Add at least one variant with a price before publishing."),
            fields={"skus": [_("at least one active variant with a price")]},
        )
    refresh_min_price(product)
    product.status = status
    product.published_at = product.published_at or timezone.now()
    product.save(update_fields=["status", "published_at", "updated_at"])
    return product


relist_product = publish_product


@transaction.atomic
def delist_product(user, product_id: int) -> Product:
    """Published -> delisted by the shop's staff (it stays in the seller center)."""
    product = locked_product(user, product_id)
    product.status = rules.next_status(product.status, "delist")
    product.save(update_fields=["status", "updated_at"])
    return product


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
    product.status = ProductStatus.DELISTED
    product.moderation_reason = reason
    product.moderated_at = timezone.now()
    product.save(update_fields=["status", "moderation_reason", "moderated_at", "updated_at"])
    return product


@transaction.atomic
def moderate_publish(operator, product_id: int) -> Product:
    """An operator clears a moderation and puts the product (back) on sale."""
    _require_operator(operator)
    product = Product.objects.select_for_update().filter(pk=product_id).first()
    if product is None:
        raise NotFound(_("No such product."))
    if not SKU.objects.filter(product=product, is_active=True).exists():
        raise Invalid(_("The product has no active variant."), fields={"skus": [_("none active")]})
    product.moderation_reason, product.moderated_at = "", None
    product.status = ProductStatus.PUBLISHED
    product.published_at = product.published_at or timezone.now()
    refresh_min_price(product)
    product.save(
        update_fields=["status", "moderation_reason", "moderated_at", "published_at", "updated_at"]
    )
    return product


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
