"""The promotions API: claimable coupons, claiming (idempotent), my coupons, shop staff's
promotions, and the quote — with permission tables and refused requests changing nothing."""

from __future__ import annotations

import json

import pytest

from villagemarket.promotions import services
from villagemarket.promotions.models import Coupon, CouponClaim, SpendSave

from .conftest import festival_spend_save, platform_coupon, shop_coupon, window

pytestmark = pytest.mark.django_db
BASE = "/api/v1/promotions/"


def post(client, path, body=None, **headers):
    return client.post(
        BASE + path, json.dumps(body or {}), content_type="application/json", headers=headers
    )


def iso(value):
    return value.isoformat()


def test_anyone_sees_a_shops_coupons_and_the_platforms(people, coupon_a, sku_a):
    platform_coupon()
    for client in people.values():
        answer = client.get(BASE + "shops/alice-costumes/coupons")
        assert answer.status_code == 200
        assert {c["funder"] for c in answer.json()} == {"shop", "platform"}
    product = sku_a.product_id
    assert len(people["anonymous"].get(BASE + f"products/{product}/coupons").json()) == 2
    assert people["anonymous"].get(BASE + "shops/nobody/coupons").status_code == 404


@pytest.mark.parametrize(
    "who, status", [("anonymous", 401), ("buyer", 201), ("alice", 201), ("operator", 201)]
)
def test_who_may_claim(people, coupon_a, who, status):
    answer = post(people[who], f"coupons/{coupon_a.pk}/claim")
    assert answer.status_code == status
    assert CouponClaim.objects.count() == (1 if status == 201 else 0)


def test_a_retried_claim_is_one_claim(people, shop_a, alice):
    coupon = shop_coupon(shop_a, alice, per_buyer_limit=3)
    first = post(people["buyer"], f"coupons/{coupon.pk}/claim", **{"Idempotency-Key": "k-1"})
    again = post(people["buyer"], f"coupons/{coupon.pk}/claim", **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.json() == again.json()
    assert CouponClaim.objects.count() == 1


def test_a_second_claim_over_the_limit_is_a_409_and_changes_nothing(people, coupon_a):
    post(people["buyer"], f"coupons/{coupon_a.pk}/claim")
    answer = post(people["buyer"], f"coupons/{coupon_a.pk}/claim")
    assert answer.status_code == 409 and answer.json()["code"] == "claim_limit"
    assert Coupon.objects.get().claimed_count == 1


def test_my_coupons_are_mine_only(people, coupon_a, buyer, bob):
    services.claim_coupon(buyer=buyer, coupon_id=coupon_a.pk)
    assert people["buyer"].get(BASE + "mine/coupons").json()["count"] == 1
    assert people["bob"].get(BASE + "mine/coupons").json()["count"] == 0
    assert people["anonymous"].get(BASE + "mine/coupons").status_code == 401


def coupon_body(**change):
    w = window()
    return {
        "name": "新人券",
        "amount_minor": 500,
        "threshold_minor": 5000,
        "starts_at": iso(w["starts_at"]),
        "ends_at": iso(w["ends_at"]),
        "total_quantity": 50,
        **change,
    }


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 401), ("buyer", 404), ("bob", 404), ("operator", 404), ("alice", 201)],
)
def test_who_may_create_a_shop_coupon(people, shop_a, who, status):
    answer = post(people[who], "shops/alice-costumes/manage/coupons", coupon_body())
    assert answer.status_code == status
    assert Coupon.objects.count() == (1 if status == 201 else 0)


def test_a_bad_coupon_names_the_field(people, shop_a):
    answer = post(
        people["alice"], "shops/alice-costumes/manage/coupons", coupon_body(amount_minor=6000)
    )
    assert answer.status_code == 422
    assert "threshold" in answer.json()["fields"]
    naive = post(
        people["alice"],
        "shops/alice-costumes/manage/coupons",
        coupon_body(starts_at="2026-12-01T10:00:00"),
    )
    assert naive.status_code == 422 and "starts_at" in naive.json()["fields"]
    assert not Coupon.objects.exists()


def test_shop_staff_change_list_and_end_their_promotions(people, shop_a, coupon_a):
    path = f"shops/alice-costumes/manage/coupons/{coupon_a.pk}"
    changed = people["alice"].put(
        BASE + path, json.dumps(coupon_body(name="改名")), content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["name"] == "改名"
    assert (
        people["bob"]
        .put(BASE + path, json.dumps(coupon_body()), content_type="application/json")
        .status_code
        == 404
    )
    assert people["alice"].get(BASE + "shops/alice-costumes/manage/coupons").json()["count"] == 1
    assert people["bob"].get(BASE + "shops/alice-costumes/manage/coupons").status_code == 404
    assert (
        post(people["bob"], f"shops/alice-costumes/manage/coupons/{coupon_a.pk}/end").status_code
        == 404
    )
    assert Coupon.objects.get().ended_at is None
    ended = post(people["alice"], f"shops/alice-costumes/manage/coupons/{coupon_a.pk}/end")
    assert ended.status_code == 200
    assert Coupon.objects.get().ended_at is not None


def test_spend_save_and_sale_price_through_the_api(people, shop_a, sku_a):
    w = window()
    body = {
        "name": "满减",
        "tiers": [{"threshold_minor": 10000, "save_minor": 1000}],
        "starts_at": iso(w["starts_at"]),
        "ends_at": iso(w["ends_at"]),
    }
    assert post(people["alice"], "shops/alice-costumes/manage/spend-save", body).status_code == 201
    clash = post(people["alice"], "shops/alice-costumes/manage/spend-save", body)
    assert clash.status_code == 422 and "starts_at" in clash.json()["fields"]
    assert SpendSave.objects.count() == 1
    sale = {
        "name": "特价",
        "sku_id": sku_a.pk,
        "price_minor": 8900,
        **{k: body[k] for k in ("starts_at", "ends_at")},
    }
    assert post(people["bob"], "shops/alice-costumes/manage/sale-prices", sale).status_code == 404
    assert post(people["alice"], "shops/alice-costumes/manage/sale-prices", sale).status_code == 201
    assert (
        people["alice"].get(BASE + "shops/alice-costumes/manage/sale-prices").json()["count"] == 1
    )
    assert people["alice"].get(BASE + "shops/alice-costumes/manage/spend-save").json()["count"] == 1


def test_the_quote_prices_from_the_database_and_splits_each_saving(
    people, buyer, shop_a, shop_b, sku_a, sku_b, coupon_a
):
    # given ¥99 x2 from alice and ¥250 from bob, alice's ¥10 coupon and every full ¥300 saves ¥50
    festival_spend_save([shop_a, shop_b])
    claim = services.claim_coupon(buyer=buyer, coupon_id=coupon_a.pk)
    body = {"lines": [{"sku_id": sku_a.pk, "quantity": 2}, {"sku_id": sku_b.pk, "quantity": 1}]}
    # when
    answer = post(people["buyer"], "quote", body)
    # then
    assert answer.status_code == 200, answer.content
    quote = answer.json()
    assert quote["list_total_minor"] == 44800
    assert [(s["kind"], s["amount_minor"]) for s in quote["savings"]] == [
        ("shop_coupon", 1000),
        ("platform_spend_save", 5000),
    ]
    assert quote["total_minor"] == 44800 - 6000
    assert (quote["shop_funded_minor"], quote["platform_funded_minor"]) == (1000, 5000)
    assert sum(s["discount_minor"] for s in quote["shops"]) == 6000
    assert quote["savings"][0]["claim_id"] == claim.pk
    # a claim that is not the caller's is refused by name
    refused = post(people["bob"], "quote", {**body, "claim_ids": [claim.pk]})
    assert refused.status_code == 422 and "claim_ids" in refused.json()["fields"]
    # a price from the client is not a field the quote reads
    cheeky = post(
        people["buyer"],
        "quote",
        {"lines": [{"sku_id": sku_a.pk, "quantity": 1, "unit_price_minor": 1}]},
    )
    assert cheeky.json()["list_total_minor"] == 9900
    assert post(people["anonymous"], "quote", body).status_code == 401
    unknown = post(people["buyer"], "quote", {"lines": [{"sku_id": 10**9, "quantity": 1}]})
    assert unknown.status_code == 422 and "lines" in unknown.json()["fields"]
