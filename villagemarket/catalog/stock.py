"""Reserving and returning SKU stock with guarded UPDATEs (never read-check-write).

Catalog owns SKU rows, so only catalog writes their stock; checkout reserves through `reserve`
and closing or refunding an order gives units back through `release`. A completed order counts
its units on the products' sales (`count_sold`), which the storefront and search sort by.

Rows are touched in SKU id order so two checkouts that share SKUs queue behind each other
instead of deadlocking; the `sku_stock_not_negative` CHECK is the backstop.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import F

from .hooks import products_changed
from .models import SKU, Product


def reserve(quantities: Mapping[int, int]) -> dict[int, int]:
    """Take `quantities` (sku id -> units) from stock; return {sku id: units left} for each SKU
    short.

    Call inside the checkout's transaction: when anything is short the caller raises, and the
    rollback returns what was taken from the other SKUs.
    """
    short: dict[int, int] = {}
    for sku_id in sorted(quantities):
        wanted = quantities[sku_id]
        taken = SKU.objects.filter(pk=sku_id, stock__gte=wanted).update(stock=F("stock") - wanted)
        if taken != 1:
            left = SKU.objects.filter(pk=sku_id).values_list("stock", flat=True).first()
            short[sku_id] = left or 0
    return short


def release(quantities: Mapping[int, int]) -> None:
    """Give reserved units back (closed or cancelled orders), in SKU id order."""
    for sku_id in sorted(quantities):
        SKU.objects.filter(pk=sku_id).update(stock=F("stock") + quantities[sku_id])


def count_sold(lines: Iterable[tuple[int, int]]) -> None:
    """A completed order sold these (sku id, units) lines: add the units to their products' sales
    counts (guarded F() updates in product id order) and let the search index follow."""
    units: dict[int, int] = {}
    for sku_id, quantity in lines:
        units[sku_id] = units.get(sku_id, 0) + quantity
    per_product: dict[int, int] = {}
    for sku_id, product_id in SKU.objects.filter(pk__in=list(units)).values_list(
        "pk", "product_id"
    ):
        per_product[product_id] = per_product.get(product_id, 0) + units[sku_id]
    for product_id in sorted(per_product):
        Product.objects.filter(pk=product_id).update(
            sales_count=F("sales_count") + per_product[product_id]
        )
    products_changed(per_product)
