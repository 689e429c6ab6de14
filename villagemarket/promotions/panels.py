"""Panels promotions adds to pages of lower apps (core.panels slots): the coupons a buyer may
claim on a shop page and a product page, and a link from the seller dashboard."""

from __future__ import annotations

from django.template.loader import render_to_string

from villagemarket.core import panels

from . import selectors


def _coupons(request, shop_id: int, *, next_url: str) -> str:
    coupons = list(selectors.claimable_coupons(shop_id=shop_id)[:6])
    if not coupons:
        return ""
    held = selectors.claimed_counts(request.user, [c.pk for c in coupons])
    for coupon in coupons:
        coupon.held = held.get(coupon.pk, 0)
        coupon.may_claim = coupon.held < coupon.per_buyer_limit
    context = {"coupons": coupons, "next": next_url}
    return render_to_string("promotions/panels/claim.html", context, request=request)


def shop_summary(request, shop) -> str:
    return _coupons(request, shop.pk, next_url=request.get_full_path())


def product_summary(request, product) -> str:
    return _coupons(request, product.shop_id, next_url=request.get_full_path())


def seller_dashboard(request, shop) -> str:
    return render_to_string(
        "promotions/panels/seller_dashboard.html", {"shop": shop}, request=request
    )


def connect() -> None:
    panels.register("shop.summary", shop_summary, position=50)
    panels.register("product.summary", product_summary, position=50)
    panels.register("seller.dashboard", seller_dashboard)
