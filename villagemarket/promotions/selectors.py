"""Reads of promotions shared by pages, the API and `services.quote`."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from . import rules
from .models import ClaimStatus, Coupon, CouponClaim, SalePrice, SpendSave


def claimable_coupons(*, shop_id: int | None = None, now=None) -> QuerySet[Coupon]:
    """Coupons a buyer may claim now: not over (claims open from creation, so buyers can hold a
    festival's coupons before it starts), not all given away. The shop's own and, with them,
    the platform's (usable across shops). Without a shop: the platform's only."""
    now = now or timezone.now()
    scope = Q(funder=rules.PLATFORM)
    if shop_id is not None:
        scope |= Q(funder=rules.SHOP, shop_id=shop_id, shop__status="active")
    return (
        Coupon.objects.not_over(now)
        .filter(scope)
        .filter(Q(total_quantity__isnull=True) | Q(claimed_count__lt=F("total_quantity")))
        .select_related("shop")
        .order_by("funder", "threshold_minor", "pk")
    )


def claims_of(buyer) -> QuerySet[CouponClaim]:
    """The buyer's coupons, newest first, with what the page shows."""
    return CouponClaim.objects.filter(buyer=buyer).select_related("coupon", "coupon__shop")


def usable_claims(buyer, *, now=None) -> QuerySet[CouponClaim]:
    """Claims the buyer may spend now: available, their coupon running."""
    now = now or timezone.now()
    return claims_of(buyer).filter(
        status=ClaimStatus.AVAILABLE,
        coupon__starts_at__lte=now,
        coupon__ends_at__gt=now,
        coupon__ended_at__isnull=True,
    )


def claimed_counts(buyer, coupon_ids) -> dict[int, int]:
    """How many times the buyer claimed each of `coupon_ids` (one query)."""
    if not buyer or not buyer.is_authenticated:
        return {}
    counts: dict[int, int] = {}
    for coupon_id in CouponClaim.objects.filter(
        buyer=buyer, coupon_id__in=list(coupon_ids)
    ).values_list("coupon_id", flat=True):
        counts[coupon_id] = counts.get(coupon_id, 0) + 1
    return counts


def running_sale_prices(sku_ids, *, now=None) -> QuerySet[SalePrice]:
    return SalePrice.objects.running(now).filter(sku_id__in=list(sku_ids))


def running_spend_saves(shop_ids, *, now=None) -> QuerySet[SpendSave]:
    """The shops' own 满减 and the platform's cross-shop ones that are running now."""
    return (
        SpendSave.objects.running(now)
        .filter(Q(funder=rules.SHOP, shop_id__in=list(shop_ids)) | Q(funder=rules.PLATFORM))
        .filter(Q(quantity_limit__isnull=True) | Q(used_count__lt=F("quantity_limit")))
        .prefetch_related("shops")
    )


def shop_promotions(shop) -> dict[str, QuerySet]:
    """Everything a shop runs, for its seller page (newest first)."""
    return {
        "coupons": Coupon.objects.filter(shop=shop, funder=rules.SHOP),
        "spend_saves": SpendSave.objects.filter(shop=shop, funder=rules.SHOP),
        "sale_prices": SalePrice.objects.filter(shop=shop).select_related("sku", "sku__product"),
    }
