"""Variants (SKUs) and their stock; stock changes only in one guarded UPDATE."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid, NotFound, OutOfStock

from .. import rules
from ..hooks import products_changed
from ..models import SKU, ProductStatus
from .common import locked_product, refresh_min_price
from .screening import refuse_prohibited_fields, screen_listing


def _sku_of(product, sku_id: int, *, lock: bool = True) -> SKU:
    qs = SKU.objects.select_for_update() if lock else SKU.objects
    sku = qs.filter(pk=sku_id, product=product).first()
    if sku is None:
        raise NotFound(_("No such variant."))
    return sku


def _clean_sku(data: dict, *, partial: bool, currency: str) -> dict:
    """Collects every field error before raising, so a form shows them all at once."""
    errors: dict[str, list[str]] = {}
    out: dict = {}
    checks = [
        (
            "options",
            lambda v: (
                rules.clean_options(v) if isinstance(v, dict) else rules.parse_options_text(v)
            ),
        ),
        ("price", lambda v: rules.parse_price(v, data.get("currency") or currency)),
        ("stock", rules.parse_stock),
        ("weight_grams", rules.parse_weight),
    ]
    for name, parse in checks:
        if name not in data and (partial or name in ("options", "weight_grams", "stock")):
            continue
        try:
            out[name] = parse(data.get(name))
        except Invalid as exc:
            errors.update(exc.fields)
    if "code" in data:
        try:
            out["code"] = rules.clean_name(
                data.get("code"), field="code", max_length=rules.MAX_SKU_CODE
            )
        except Invalid as exc:
            errors.update(exc.fields)
    if "is_active" in data:
        out["is_active"] = bool(data["is_active"])
    if errors:
        raise Invalid(_("Please correct the marked fields."), fields=errors)
    if "price" in out:
        price = out.pop("price")
        out["price_minor"], out["currency"] = price.minor, price.currency
    return out


def _check_unique_options(product, options: dict, exclude_pk: int | None = None) -> None:
    others = SKU.objects.filter(product=product, is_active=True).exclude(pk=exclude_pk)
    if any(sku.options == options for sku in others):
        raise Invalid(
            _("Another variant has the same options."), fields={"options": [_("duplicate")]}
        )


@transaction.atomic
def add_sku(user, product_id: int, data: dict) -> SKU:
    """Shop staff add a variant: options, price (a string like "99.00"), stock >= 0, weight."""
    product = locked_product(user, product_id)
    fields = _clean_sku(data, partial=False, currency=product.currency)
    if SKU.objects.filter(product=product, is_active=True).count() >= rules.MAX_SKUS:
        raise Invalid(_("Too many variants."), fields={"skus": [_("at most %d") % rules.MAX_SKUS]})
    _check_unique_options(product, fields.get("options", {}))
    position = SKU.objects.filter(product=product).count()
    sku = SKU.objects.create(product=product, position=position, **fields)
    refresh_min_price(product)
    _screen_variant(product, user, fields)
    return sku


@transaction.atomic
def update_sku(user, product_id: int, sku_id: int, data: dict) -> SKU:
    """Change a variant's options, price, weight or code. Stock goes through adjust_stock."""
    product = locked_product(user, product_id)
    sku = _sku_of(product, sku_id)
    fields = _clean_sku(
        {k: v for k, v in data.items() if k != "stock"}, partial=True, currency=sku.currency
    )
    if "options" in fields:
        _check_unique_options(product, fields["options"], exclude_pk=sku.pk)
    for name, value in fields.items():
        setattr(sku, name, value)
    sku.save()
    refresh_min_price(product)
    _screen_variant(product, user, fields)
    return sku


def _screen_variant(product, user, fields: dict) -> None:
    """Variant names are listing text too: refused or screened like the title."""
    if "options" not in fields:
        return
    refuse_prohibited_fields({"options": fields["options"]})
    if product.status in (ProductStatus.PUBLISHED, ProductStatus.HELD):
        screen_listing(product, user)


@transaction.atomic
def remove_sku(user, product_id: int, sku_id: int) -> None:
    """Remove a variant. One that was ever ordered is deactivated instead (orders keep it).

    A published product keeps at least one active variant.
    """
    product = locked_product(user, product_id)
    sku = _sku_of(product, sku_id)
    remaining = SKU.objects.filter(product=product, is_active=True).exclude(pk=sku.pk).count()
    if product.status == ProductStatus.PUBLISHED and remaining == 0:
        raise Invalid(
            _("A published product needs at least one variant; delist it first."),
            fields={"skus": [_("last active variant")]},
        )
    try:
        with transaction.atomic():
            sku.delete()
    except ProtectedError:
        SKU.objects.filter(pk=sku.pk).update(is_active=False)
    refresh_min_price(product)


@transaction.atomic
def adjust_stock(
    user, product_id: int, sku_id: int, *, delta: int | None = None, set_to: int | None = None
) -> SKU:
    """Add or remove stock (`delta`) or count it afresh (`set_to`), in one guarded UPDATE.

    A decrease below zero is refused with out_of_stock naming how many are left.
    """
    if (delta is None) == (set_to is None):
        raise Invalid(
            _("Give either a change or a new count."), fields={"delta": [_("delta or set")]}
        )
    # No product lock: checkouts reserve stock concurrently, and the guarded UPDATE alone decides.
    product = locked_product(user, product_id, lock=False)
    sku = _sku_of(product, sku_id, lock=False)
    rows = SKU.objects.filter(pk=sku.pk)
    if set_to is not None:
        rows.update(stock=rules.parse_stock(set_to, field="set"))
    else:
        try:
            delta = rules.whole_number(delta)
        except (TypeError, ValueError):
            raise Invalid(
                _("The change must be a whole number."), fields={"delta": [_("not a whole number")]}
            ) from None
        if abs(delta) > rules.MAX_STOCK:
            raise Invalid(_("The change is too large."), fields={"delta": [_("too large")]})
        guarded = (
            rows.filter(stock__gte=-delta)
            if delta < 0
            else rows.filter(stock__lte=rules.MAX_STOCK - delta)
        )
        if guarded.update(stock=F("stock") + delta) == 0:
            left = rows.values_list("stock", flat=True).first() or 0
            if delta < 0:
                raise OutOfStock(
                    _("Only %(left)d left; cannot remove %(n)d.") % {"left": left, "n": -delta},
                    fields={"delta": [_("only %(left)d left") % {"left": left}]},
                )
            raise Invalid(_("Stock is too large."), fields={"delta": [_("too large")]})
    sku.refresh_from_db(fields=["stock"])
    products_changed([product.pk])
    return sku


__all__ = ["add_sku", "update_sku", "remove_sku", "adjust_stock"]
