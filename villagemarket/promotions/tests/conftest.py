"""Promotions made the way sellers and operators make them (through the services)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from villagemarket.promotions import services
from villagemarket.promotions.models import Coupon, SpendSave


def window(days_from=-1, days_to=7):
    now = timezone.now()
    return {"starts_at": now + timedelta(days=days_from), "ends_at": now + timedelta(days=days_to)}


def shop_coupon(shop, user, **change):
    fields = {
        "name": "满100减10",
        "amount_minor": 1000,
        "threshold_minor": 10000,
        "per_buyer_limit": 1,
        "total_quantity": 100,
        **window(),
        **change,
    }
    return services.save_shop_coupon(shop=shop, user=user, **fields)


def platform_coupon(**change):
    fields = {
        "name": "平台券",
        "funder": "platform",
        "amount_minor": 2000,
        "threshold_minor": 30000,
        "per_buyer_limit": 1,
        "total_quantity": 1000,
        **window(),
        **change,
    }
    coupon = Coupon(**fields)
    services.check_coupon(coupon)
    coupon.save()
    return coupon


def festival_spend_save(shops=(), **change):
    fields = {
        "name": "双十一跨店满减",
        "funder": "platform",
        "tiers": [{"threshold_minor": 30000, "save_minor": 5000}],
        "every": True,
        "all_shops": not shops,
        **window(),
        **change,
    }
    offer = SpendSave(**fields)
    services.check_spend_save(offer, shop_ids=[s.pk for s in shops])
    offer.save()
    offer.shops.set(shops)
    return offer


@pytest.fixture
def coupon_a(shop_a, alice):
    """Alice's shop coupon: ¥10 off ¥100, one per buyer, 100 to give."""
    return shop_coupon(shop_a, alice)
