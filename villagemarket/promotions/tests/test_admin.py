"""Operators run the platform's coupons and cross-shop 满减 in the back-office, under the same
rules as the seller pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from villagemarket.promotions.models import Coupon, SpendSave

pytestmark = pytest.mark.django_db


def when(days):
    moment = timezone.localtime(timezone.now() + timezone.timedelta(days=days))
    return {"0": moment.strftime("%Y-%m-%d"), "1": moment.strftime("%H:%M:%S")}


def split(name, days):
    return {f"{name}_{k}": v for k, v in when(days).items()}


PLATFORM_COUPON = {
    "name": "双十二平台券",
    "funder": "platform",
    "amount_minor": "20",
    "threshold_minor": "299",
    "per_buyer_limit": "1",
    "total_quantity": "1000",
    "currency": "CNY",
    **split("starts_at", 0),
    **split("ends_at", 7),
}


@pytest.mark.parametrize("who, status", [("buyer", 302), ("alice", 302), ("operator", 302)])
def test_only_operators_add_platform_coupons(people, who, status):
    answer = people[who].post("/admin/promotions/coupon/add/", PLATFORM_COUPON)
    assert answer.status_code == status
    if who == "operator":
        assert answer.url == "/admin/promotions/coupon/"
        coupon = Coupon.objects.get()
        assert (coupon.amount_minor, coupon.threshold_minor) == (2000, 29900)
    else:
        assert "/admin/login/" in answer.url and not Coupon.objects.exists()


def test_a_bad_platform_coupon_is_refused_on_its_field(people):
    answer = people["operator"].post(
        "/admin/promotions/coupon/add/", {**PLATFORM_COUPON, "amount_minor": "300"}
    )
    assert answer.status_code == 200
    assert "threshold_minor" in answer.context["adminform"].form.errors
    assert not Coupon.objects.exists()


def test_an_operator_runs_a_cross_shop_spend_save_over_chosen_shops(people, shop_a, shop_b):
    form = {
        "name": "双十二跨店满减",
        "funder": "platform",
        "shops": [shop_a.pk, shop_b.pk],
        "tiers": "300 50",
        "every": "on",
        "max_save_minor": "500",
        "currency": "CNY",
        **split("starts_at", 0),
        **split("ends_at", 7),
    }
    assert people["operator"].post("/admin/promotions/spendsave/add/", form).status_code == 302
    offer = SpendSave.objects.get()
    assert offer.tiers == [{"threshold_minor": 30000, "save_minor": 5000}]
    assert set(offer.shops.all()) == {shop_a, shop_b}
    clash = people["operator"].post("/admin/promotions/spendsave/add/", form)
    assert clash.status_code == 200 and SpendSave.objects.count() == 1
    garbled = people["operator"].post("/admin/promotions/spendsave/add/", {**form, "tiers": "lots"})
    assert "tiers" in garbled.context["adminform"].form.errors
