"""Demo step: promotions. The 丁楼村 seller's shop runs a coupon, a 满减 with two tiers and a
sale price on one SKU; two more demo shops give coupons; the platform runs a festival
cross-shop 满减 (every full ¥300 saves ¥50) over those shops and a platform coupon; the demo
buyer holds two coupons (My coupons, /coupons/). Made by the real services, so the same rules
apply. Idempotent: each promotion is looked up by its shop and name; a second run adds nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from villagemarket.accounts.models import User
from villagemarket.catalog.models import SKU
from villagemarket.promotions import services
from villagemarket.promotions.models import Coupon, CouponClaim, SalePrice, SpendSave
from villagemarket.shops.models import Shop, ShopStatus

from . import data
from .steps import Context

FESTIVAL = "双十二跨店满减"
PLATFORM_COUPON = "双十二平台券"


def _window(days: int = 14) -> dict:
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
    return {"starts_at": start, "ends_at": start + timedelta(days=days)}


def _shops() -> list[Shop]:
    seller = User.objects.get(email=data.SELLER)
    own = list(Shop.objects.filter(members__user=seller, status=ShopStatus.ACTIVE).order_by("pk"))
    others = list(
        Shop.objects.filter(status=ShopStatus.ACTIVE, slug__startswith="demo-")
        .exclude(members__user=seller)
        .order_by("pk")[:2]
    )
    return own[:1] + others


def _shop_promotions(shop: Shop, owner: User, *, full: bool) -> int:
    made = 0
    name = "店铺券 满150减15"
    if not Coupon.objects.filter(shop=shop, name=name).exists():
        services.save_shop_coupon(
            shop=shop,
            user=owner,
            name=name,
            amount_minor=1500,
            threshold_minor=15000,
            per_buyer_limit=1,
            total_quantity=500,
            **_window(),
        )
        made += 1
    if not full:
        return made
    if not SpendSave.objects.filter(shop=shop).exists():
        services.save_shop_spend_save(
            shop=shop,
            user=owner,
            name="满100减10，满200减25",
            tiers=[
                {"threshold_minor": 10000, "save_minor": 1000},
                {"threshold_minor": 20000, "save_minor": 2500},
            ],
            **_window(),
        )
        made += 1
    sku = SKU.objects.for_sale().filter(product__shop=shop, price_minor__gte=2000).order_by("pk")
    sku = sku.first()
    if sku and not SalePrice.objects.filter(shop=shop).exists():
        services.save_sale_price(
            shop=shop,
            user=owner,
            name="限时特价",
            sku_id=sku.pk,
            price_minor=sku.price_minor * 85 // 100,
            quantity_limit=100,
            **_window(7),
        )
        made += 1
    return made


def _platform(shops: list[Shop], operator: User) -> int:
    made = 0
    if not SpendSave.objects.filter(funder="platform", name=FESTIVAL).exists():
        offer = SpendSave(
            name=FESTIVAL,
            funder="platform",
            tiers=[{"threshold_minor": 30000, "save_minor": 5000}],
            every=True,
            max_save_minor=50000,
            created_by=operator,
            **_window(),
        )
        services.check_spend_save(offer, shop_ids=[s.pk for s in shops])
        offer.save()
        offer.shops.set(shops)
        made += 1
    if not Coupon.objects.filter(funder="platform", name=PLATFORM_COUPON).exists():
        coupon = Coupon(
            name=PLATFORM_COUPON,
            funder="platform",
            amount_minor=2000,
            threshold_minor=29900,
            per_buyer_limit=1,
            total_quantity=10000,
            budget_minor=20_000_000,
            created_by=operator,
            **_window(),
        )
        services.check_coupon(coupon)
        coupon.save()
        made += 1
    return made


def promotions_demo(ctx: Context) -> str:
    shops = _shops()
    if not shops:
        return "no active demo shops"
    operator = User.objects.get(email=data.OPERATOR)
    made = 0
    for n, shop in enumerate(shops):
        owner = User.objects.filter(
            shop_memberships__shop=shop, shop_memberships__role="owner"
        ).first()
        made += _shop_promotions(shop, owner, full=n == 0)
    made += _platform(shops, operator)
    buyer = User.objects.get(email=data.BUYER)
    held = [
        Coupon.objects.filter(shop=shops[0], name="店铺券 满150减15").first(),
        Coupon.objects.filter(funder="platform", name=PLATFORM_COUPON).first(),
    ]
    for coupon in filter(None, held):
        if not CouponClaim.objects.filter(coupon=coupon, buyer=buyer).exists():
            services.claim_coupon(buyer=buyer, coupon_id=coupon.pk)
            made += 1
    return f"{made} promotions and claims for {len(shops)} shops and the platform"
