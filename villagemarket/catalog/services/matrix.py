"""The editor's SKU matrix and the bulk price/stock table: many SKUs in one transaction.

Stock is set absolutely ("I counted 12"), in one UPDATE per SKU. A checkout may reserve units of
the same SKU between the seller loading the page and saving it; a plain `SET stock = 12` would
then wipe that reservation out (12 on the shelf, 2 of them already sold). So a change may carry
`expected_stock`, the number the seller saw: the UPDATE then only applies `WHERE stock =
expected_stock`, and when a reservation moved it meanwhile the whole save is refused naming the
SKU and its stock now (all or nothing). The pages always send it; API clients should.
Without it the count is taken as is, like `adjust_stock(set_to=...)`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from villagemarket.core.errors import Conflict, Invalid

from .. import matrix, rules
from ..hooks import products_changed
from ..models import SKU, Product, ProductImage, ProductStatus
from .common import locked_product, refresh_min_price, require_shop_staff
from .screening import refuse_prohibited_fields, screen_listing


def _set_stock(sku_id: int, stock: int, expected: int | None) -> bool:
    """One guarded UPDATE; False when `expected` no longer holds (a checkout moved it)."""
    rows = SKU.objects.filter(pk=sku_id)
    if expected is not None:
        rows = rows.filter(stock=expected)
    return rows.update(stock=stock) == 1


def _stock_now(sku_id: int) -> int:
    return SKU.objects.filter(pk=sku_id).values_list("stock", flat=True).first() or 0


def _stale(field: str, sku_id: int) -> dict:
    return {
        field: [
            _("stock changed meanwhile: now %(n)d; check it and save again")
            % {"n": _stock_now(sku_id)}
        ]
    }


@transaction.atomic
def set_sku_matrix(user, product_id: int, specs, rows) -> list[SKU]:
    """Make the product's SKUs the matrix of `specs` (0-3 specifications), one row each.

    All or nothing. A combination that already has a SKU updates it (price, stock, code, image,
    weight); a new combination adds a SKU; a SKU whose combination is gone is deactivated, never
    deleted (orders keep pointing at it), and comes back if its combination returns. Returns the
    active SKUs in matrix order.
    """
    product = locked_product(user, product_id)
    specs = matrix.clean_specs(specs)
    rows = matrix.clean_rows(specs, rows)
    # Specification names and values are listing text: the worst terms are refused outright.
    refuse_prohibited_fields({"options": {s["name"]: " ".join(s["values"]) for s in specs}})
    images = set(ProductImage.objects.filter(product=product).values_list("pk", flat=True))
    errors = {
        f"rows.{i}.image_id": [_("not a photo of this product")]
        for i, row in enumerate(rows)
        if row["image_id"] is not None and row["image_id"] not in images
    }
    if errors:
        raise Invalid(_("Please correct the marked rows."), fields=errors)
    # Existing SKUs by combination; an active one wins over an old inactive twin. Locked in id
    # order, as checkout locks them.
    existing: dict[tuple, SKU] = {}
    for sku in SKU.objects.select_for_update().filter(product=product).order_by("pk"):
        key = matrix.options_key(sku.options)
        if key not in existing or (sku.is_active and not existing[key].is_active):
            existing[key] = sku
    kept: list[SKU] = []
    for position, row in enumerate(rows):
        sku = existing.pop(matrix.options_key(row["options"]), None)
        kept.append(_apply_row(product, sku, row, position, errors, f"rows.{position}.stock"))
    if errors:
        raise Conflict(
            _("Stock changed while you were editing."), code="stock_changed", fields=errors
        )
    leftover = [sku.pk for sku in existing.values() if sku.is_active]
    SKU.objects.filter(pk__in=leftover).update(is_active=False)
    Product.objects.filter(pk=product.pk).update(specs=specs)
    product.specs = specs
    refresh_min_price(product)
    if product.status in (ProductStatus.PUBLISHED, ProductStatus.HELD):
        screen_listing(product, user)  # new variant names are listing text too
    for sku in kept:
        sku.refresh_from_db()
    return kept


def _apply_row(product, sku: SKU | None, row: dict, position: int, errors: dict, field: str) -> SKU:
    fields = {
        "price_minor": row["price_minor"],
        "code": row["code"],
        "image_id": row["image_id"],
        "position": position,
        "is_active": True,
        "options": row["options"],
    }
    if row.get("weight_grams"):
        fields["weight_grams"] = row["weight_grams"]
    if sku is None:
        return SKU.objects.create(
            product=product, currency=product.currency, stock=row["stock"], **fields
        )
    SKU.objects.filter(pk=sku.pk).update(**fields)
    expected = row.get("expected_stock")
    changes_stock = sku.stock != row["stock"] or expected is not None
    if changes_stock and not _set_stock(sku.pk, row["stock"], expected):
        errors.update(_stale(field, sku.pk))
    return sku


def _clean_change(change, i: int) -> tuple[int, dict]:
    """(sku id, {price_minor?, stock?, expected_stock?}); Invalid keyed by the sku id."""
    if not isinstance(change, dict):
        raise Invalid(
            _("Please correct the marked rows."), fields={f"changes.{i}": [_("not a change")]}
        )
    sku_id = change.get("sku_id")
    if not isinstance(sku_id, int) or isinstance(sku_id, bool) or sku_id < 1:
        raise Invalid(
            _("Please correct the marked rows."),
            fields={f"changes.{i}.sku_id": [_("not a SKU id")]},
        )
    limits = {
        "price_minor": (1, rules.MAX_PRICE_MINOR),
        "stock": (0, rules.MAX_STOCK),
        "expected_stock": (0, rules.MAX_STOCK),
    }
    out, errors = {}, {}
    for name, (low, high) in limits.items():
        if change.get(name) is None:
            continue
        value = change[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[f"{sku_id}.{name}"] = [
                _("a whole number from %(low)d to %(high)d") % {"low": low, "high": high}
            ]
        else:
            out[name] = value
    if errors:
        raise Invalid(_("Please correct the marked rows."), fields=errors)
    return sku_id, out


@transaction.atomic
def bulk_update_skus(user, shop, changes) -> list[SKU]:
    """Set the price and/or stock of many of the shop's SKUs at once: all or nothing.

    `changes`: [{"sku_id": int, "price_minor": int (optional), "stock": int (optional),
    "expected_stock": int (optional, see the module docstring)}]. Errors are keyed
    `"<sku id>.<field>"` (or `"<sku id>"` for a SKU that is not the shop's), so a table can put
    each one on its cell. Rows are updated in SKU id order, as checkout locks them.
    """
    require_shop_staff(user, shop)
    if not isinstance(changes, list) or not changes:
        raise Invalid(_("Nothing to save."), fields={"changes": [_("give at least one change")]})
    if len(changes) > 1000:
        raise Invalid(_("At most 1000 changes at once."), fields={"changes": [_("too many")]})
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, dict] = {}
    for i, change in enumerate(changes):
        try:
            sku_id, fields = _clean_change(change, i)
        except Invalid as exc:
            errors.update(exc.fields)
            continue
        if sku_id in cleaned:
            errors[str(sku_id)] = [_("this SKU is given twice")]
        cleaned[sku_id] = fields
    known = set(SKU.objects.filter(pk__in=cleaned, product__shop=shop).values_list("pk", flat=True))
    for sku_id in cleaned:
        if sku_id not in known:
            errors[str(sku_id)] = [_("no such SKU in this shop")]
    if errors:
        raise Invalid(_("Please correct the marked rows."), fields=errors)
    for sku_id in sorted(cleaned):
        fields = cleaned[sku_id]
        if "price_minor" in fields:
            SKU.objects.filter(pk=sku_id).update(price_minor=fields["price_minor"])
        if "stock" in fields and not _set_stock(
            sku_id, fields["stock"], fields.get("expected_stock")
        ):
            errors.update(_stale(f"{sku_id}.stock", sku_id))
    if errors:
        raise Conflict(
            _("Stock changed while you were editing."), code="stock_changed", fields=errors
        )
    skus = list(SKU.objects.filter(pk__in=cleaned).select_related("product").order_by("pk"))
    products = {sku.product_id: sku.product for sku in skus}
    for product in products.values():
        if any("price_minor" in cleaned[s.pk] for s in skus if s.product_id == product.pk):
            refresh_min_price(product)
    products_changed(products)
    return skus


__all__ = ["set_sku_matrix", "bulk_update_skus"]
