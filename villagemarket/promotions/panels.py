"""Panels promotions adds to pages of lower apps (core.panels slots): the coupons a buyer may
claim on a shop page and a product page, and a link from the seller dashboard."""

from __future__ import annotations

from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from villagemarket.core import panels

from . import selectors


def coupons_fragment(request, shop_id: int, *, next_url: str) -> str:
    """The coupons of a shop (and the platform's) to claim, with the buyer's claim buttons."""
    coupons = list(selectors.claimable_coupons(shop_id=shop_id)[:6])
    if not coupons:
        return ""
    held = selectors.claimed_counts(request.user, [c.pk for c in coupons])
    for coupon in coupons:
        coupon.held = held.get(coupon.pk, 0)
        coupon.may_claim = coupon.held < coupon.per_buyer_limit
    context = {"coupons": coupons, "next": next_url}
    return render_to_string("promotions/panels/claim.html", context, request=request)


def _lazy(request, shop_id: int) -> str:
    # The coupons load in their own small request once the page is shown (htmx, on load): the
    # shop and product pages keep their query budget and stay cacheable for every buyer.
    url = reverse("promotions:shop_coupons", args=[shop_id])
    query = urlencode({"next": request.get_full_path()})
    return format_html(
        '<div hx-get="{}?{}" hx-trigger="load" hx-swap="outerHTML"></div>', url, query
    )


def shop_summary(request, shop) -> str:
    return _lazy(request, shop.pk)


def product_summary(request, product) -> str:
    return _lazy(request, product.shop_id)


def seller_dashboard(request, shop) -> str:
    return render_to_string(
        "promotions/panels/seller_dashboard.html", {"shop": shop}, request=request
    )


def connect() -> None:
    panels.register("shop.summary", shop_summary, position=50)
    panels.register("product.summary", product_summary, position=50)
    panels.register("seller.dashboard", seller_dashboard)
