"""The promotions pages on a 390 px phone, in both languages: nothing wider than the screen and
thumb-sized buttons (the measure of web/tests/test_browser_phone.py)."""

from __future__ import annotations

import pytest

from villagemarket.promotions import services
from villagemarket.web.tests.test_browser_phone import check_pages, session_of

from .conftest import festival_spend_save, platform_coupon, shop_coupon, window

LONG = "曹县丁楼村手工刺绣儿童演出服套装加厚款（含头饰、腰带、披风）满两件再减"


@pytest.fixture
def promotions(alice, buyer, shop_a, sku_a):
    coupon = shop_coupon(
        shop_a, alice, name=LONG[:60], amount_minor=123450, threshold_minor=9999900
    )
    platform_coupon()
    festival_spend_save([shop_a])
    offer = services.save_shop_spend_save(
        shop=shop_a,
        user=alice,
        name=LONG[:60],
        tiers=[
            {"threshold_minor": 10000, "save_minor": 1000},
            {"threshold_minor": 20000, "save_minor": 2500},
        ],
        **window(),
    )
    sale = services.save_sale_price(
        shop=shop_a, user=alice, name="特价", sku_id=sku_a.pk, price_minor=7900, **window()
    )
    services.claim_coupon(buyer=buyer, coupon_id=coupon.pk)
    return {"shop": shop_a, "coupon": coupon, "offer": offer, "sale": sale, "sku": sku_a}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_promotion_pages_fit_a_phone(live_server, promotions, alice, buyer, language):
    base = f"/seller/promotions/{promotions['shop'].slug}/"
    seller = {
        "promotions": base,
        "promotion-coupon-new": base + "coupons/new/",
        "promotion-coupon-edit": base + f"coupons/{promotions['coupon'].pk}/",
        "promotion-spend-save": base + f"spend-save/{promotions['offer'].pk}/",
        "promotion-sale-price": base + f"sale-prices/{promotions['sale'].pk}/",
    }
    buyer_pages = {
        "my-coupons": "/coupons/",
        "shop-coupons": f"/shops/{promotions['shop'].slug}/",
        "product-coupons": f"/p/{promotions['sku'].product_id}/",
    }
    problems = check_pages(live_server, session_of(alice), seller, language)
    problems += check_pages(live_server, session_of(buyer), buyer_pages, language)
    assert problems == [], "\n".join(problems)
