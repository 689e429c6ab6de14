"""Pages: the seller's promotions (permission table, validation on the fields), the buyer's
coupons, and claiming from a shop page and a product page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from villagemarket.promotions.models import Coupon, CouponClaim, SalePrice, SpendSave

from .conftest import shop_coupon

pytestmark = pytest.mark.django_db
SELLER = "/seller/promotions/alice-costumes/"


def picker(days):
    return timezone.localtime(timezone.now() + timezone.timedelta(days=days)).strftime(
        "%Y-%m-%dT%H:%M"
    )


COUPON_FORM = {
    "name": "满100减10",
    "amount": "10",
    "threshold": "100",
    "per_buyer_limit": "1",
    "total_quantity": "100",
    "starts_at": picker(0),
    "ends_at": picker(7),
}


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 302), ("buyer", 404), ("bob", 404), ("operator", 404), ("alice", 200)],
)
def test_who_may_see_the_shops_promotions(people, shop_a, who, status):
    for path in ("", "coupons/new/", "spend-save/new/", "sale-prices/new/"):
        assert people[who].get(SELLER + path).status_code == status


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("bob", 404), ("alice", 302)])
def test_who_may_create_a_coupon_and_a_refusal_changes_nothing(people, shop_a, who, status):
    answer = people[who].post(SELLER + "coupons/new/", COUPON_FORM)
    assert answer.status_code == status
    assert Coupon.objects.count() == (1 if who == "alice" else 0)


def test_a_bad_coupon_shows_the_reason_on_its_field(people, shop_a):
    answer = people["alice"].post(SELLER + "coupons/new/", {**COUPON_FORM, "amount": "100"})
    assert answer.status_code == 422
    assert (
        "The minimum spend must be more than the amount off."
        in answer.context["form"].errors["threshold"]
    )
    assert not Coupon.objects.exists()


def test_the_seller_sees_money_in_yuan_and_can_change_and_end(people, shop_a, alice):
    coupon = shop_coupon(shop_a, alice)
    page = people["alice"].get(SELLER).content.decode()
    assert "¥10.00" in page and "¥100.00" in page
    changed = people["alice"].post(SELLER + f"coupons/{coupon.pk}/", {**COUPON_FORM, "name": "改"})
    assert changed.status_code == 302 and Coupon.objects.get().name == "改"
    assert (
        people["bob"]
        .post(SELLER.replace("alice-costumes", "bob-quilts") + f"coupons/{coupon.pk}/end/")
        .status_code
        == 404
    )
    assert people["alice"].post(SELLER + f"coupons/{coupon.pk}/end/").status_code == 302
    assert Coupon.objects.get().ended_at is not None


def test_spend_save_tiers_and_a_sale_price_from_the_pages(people, shop_a, sku_a):
    form = {"name": "满减", "spend_1": "100", "save_1": "10", "spend_2": "200", "save_2": "25"}
    form |= {"starts_at": picker(0), "ends_at": picker(7)}
    assert people["alice"].post(SELLER + "spend-save/new/", form).status_code == 302
    assert SpendSave.objects.get().tiers[1] == {"threshold_minor": 20000, "save_minor": 2500}
    worse = people["alice"].post(SELLER + "spend-save/new/", {**form, "save_2": "5"})
    assert worse.status_code == 422 and SpendSave.objects.count() == 1
    half = people["alice"].post(SELLER + "spend-save/new/", {**form, "save_2": ""})
    assert half.status_code == 422 and "spend_2" in half.context["form"].errors
    sale = {
        "name": "特价",
        "sku": str(sku_a.pk),
        "price": "79",
        "starts_at": picker(0),
        "ends_at": picker(3),
    }
    assert people["alice"].post(SELLER + "sale-prices/new/", sale).status_code == 302
    too_high = people["alice"].post(SELLER + "sale-prices/new/", {**sale, "price": "120"})
    assert too_high.status_code == 422 and "price" in too_high.context["form"].errors
    assert SalePrice.objects.count() == 1


def test_a_buyer_claims_on_the_shop_page_and_sees_it_in_my_coupons(people, shop_a, alice, sku_a):
    coupon = shop_coupon(shop_a, alice)
    # the shop page and the product page load the shop's coupons into their summary
    fragment = f"/coupons/shops/{shop_a.pk}/"
    assert fragment in people["buyer"].get("/shops/alice-costumes/").content.decode()
    assert fragment in people["buyer"].get(f"/p/{sku_a.product_id}/").content.decode()
    offered = people["buyer"].get(fragment, {"next": "/shops/alice-costumes/"}).content.decode()
    assert f"/coupons/claim/{coupon.pk}/" in offered and "¥10.00" in offered
    assert "Sign in to claim" in people["anonymous"].get(fragment).content.decode()
    claimed = people["buyer"].post(
        f"/coupons/claim/{coupon.pk}/", {"next": "/shops/alice-costumes/"}
    )
    assert claimed.status_code == 302 and claimed.url == "/shops/alice-costumes/"
    assert CouponClaim.objects.filter(coupon=coupon).count() == 1
    assert "Claimed" in people["buyer"].get(fragment).content.decode()
    mine = people["buyer"].get("/coupons/").content.decode()
    assert "¥10.00" in mine and "Usable now" in mine
    assert "¥10.00" not in people["bob"].get("/coupons/").content.decode()


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("buyer", 302)])
def test_claiming_needs_a_sign_in_and_never_leaves_the_site(people, shop_a, alice, who, status):
    coupon = shop_coupon(shop_a, alice)
    answer = people[who].post(f"/coupons/claim/{coupon.pk}/", {"next": "https://evil.example/"})
    assert answer.status_code == status
    assert "evil" not in answer.url
    assert CouponClaim.objects.count() == (1 if who == "buyer" else 0)
    assert people["buyer"].get("/coupons/claim/1/").status_code == 405
