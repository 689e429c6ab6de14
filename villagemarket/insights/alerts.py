"""The low-stock alert: tell a shop's staff once when a SKU goes at or below its product's
threshold, and again only after it went back above and down once more.

Which SKUs are low is catalog's rule (`catalog.selectors.low_stock_skus`); this module only
remembers what it told (LowStockAlert) and sends through the notifications outbox, so each
person gets the in-site notice plus the channels they chose for "Low stock". A sweep may run
twice at once: the flip of `low` is one guarded UPDATE (or an insert the unique SKU refuses),
and the notification's key (SKU and crossing number) is told at most once per person.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from villagemarket.catalog import selectors as catalog_selectors
from villagemarket.notifications import events
from villagemarket.notifications.listeners import shop_members
from villagemarket.notifications.services import notify
from villagemarket.shops.models import Shop
from villagemarket.shops.states import Status as ShopStatus

from .models import LowStockAlert


def _variant(sku) -> str:
    options = sku.options if isinstance(sku.options, dict) else {}
    return " ".join(str(v) for v in options.values())


def _tell(shop: Shop, sku, crossing: int, members: list[int]) -> None:
    product = sku.product
    notify(
        events.LOW_STOCK,
        f"low_stock:{sku.pk}:{crossing}",
        members,
        params={
            "product": product.title,
            "variant": _variant(sku),
            "shop": shop.name,
            "stock": sku.stock,
            "threshold": product.low_stock_threshold,
        },
        url=reverse("seller_products:stock", args=[shop.slug, product.pk]),
    )


def _went_low(shop: Shop, sku) -> int | None:
    """Record that `sku` is low; the crossing number when this call made it so, else None."""
    flipped = LowStockAlert.objects.filter(sku_id=sku.pk, low=False).update(
        low=True,
        crossings=F("crossings") + 1,
        stock_when_told=sku.stock,
        told_at=timezone.now(),
        cleared_at=None,
    )
    if flipped:
        return LowStockAlert.objects.values_list("crossings", flat=True).get(sku_id=sku.pk)
    if LowStockAlert.objects.filter(sku_id=sku.pk).exists():
        return None  # already low and told
    try:
        with transaction.atomic():
            LowStockAlert.objects.create(sku_id=sku.pk, shop=shop, stock_when_told=sku.stock)
    except IntegrityError:
        return None  # another sweep recorded it first (and tells)
    return 1


def check_shop(shop: Shop) -> int:
    """One shop's alerts, in one transaction. Returns how many SKUs were told about."""
    told = 0
    with transaction.atomic():
        low = {sku.pk: sku for sku in catalog_selectors.low_stock_skus(shop)}
        LowStockAlert.objects.filter(shop=shop, low=True).exclude(sku_id__in=list(low)).update(
            low=False, cleared_at=timezone.now()
        )
        members = None
        for sku in low.values():
            crossing = _went_low(shop, sku)
            if crossing is None:
                continue
            members = shop_members(shop.pk) if members is None else members
            _tell(shop, sku, crossing, members)
            told += 1
    return told


def sweep() -> int:
    """Every active shop's low-stock alerts (the worker's periodic sweep)."""
    return sum(
        check_shop(shop) for shop in Shop.objects.filter(status=ShopStatus.ACTIVE).order_by("pk")
    )
