"""Shops API: public reads of active shops, my shops, opening a shop."""

import pytest
from django.test import Client

from villagemarket.accounts.models import ApiToken
from villagemarket.testing import make_shop
from villagemarket.shops.models import Shop, ShopMember

BASE = "/api/v1/shops/"


def bearer(user) -> dict:
    """An Authorization header with a fresh API token of `user`."""
    secret = "vm_test_" + str(user.pk) + "_secret_value_long_enough"
    ApiToken.objects.create(user=user, name="test", token_hash=ApiToken.hash_secret(secret))
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def open_payload(**overrides):
    payload = {
        "name": "胡楼羽绒",
        "slug": "hulou-down",
        "village": "371721121206",
        "ship_from_address": "胡楼村",
        "phone": "13800000002",
    }
    return {**payload, **overrides}


def test_public_list_shows_only_active_shops_filtered_by_region(shop_a, shop_b, bob, village):
    make_shop(bob, village, name="Pending", slug="pending-shop", status="pending")
    make_shop(bob, village, name="Suspended", slug="suspended-shop", status="suspended")

    body = Client().get(BASE).json()
    assert body["count"] == 2
    assert {s["slug"] for s in body["results"]} == {"alice-costumes", "bob-quilts"}
    assert body["results"][0]["village"]["code"] == "371721121227"

    assert Client().get(BASE, {"region": "3717"}).json()["count"] == 2
    assert Client().get(BASE, {"region": "44"}).json()["count"] == 0
    page = Client().get(BASE, {"page_size": 1, "page": 2}).json()
    assert (page["count"], len(page["results"])) == (2, 1)


@pytest.mark.parametrize(
    "query,field", [({"region": "37a"}, "region"), ({"page_size": 1000}, "page_size")]
)
def test_bad_list_filters_are_named(shop_a, query, field):
    response = Client().get(BASE, query)
    assert response.status_code == 422
    assert field in response.json()["fields"]


def test_public_detail_is_only_for_active_shops(shop_a, bob, village):
    make_shop(bob, village, name="Pending", slug="pending-shop", status="pending")

    assert Client().get(BASE + "alice-costumes").json()["name"] == "Alice 演出服"
    response = Client().get(BASE + "pending-shop")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Client().get(BASE + "nope").status_code == 404


def test_mine_lists_my_shops_with_role_and_needs_auth(alice, shop_a, shop_b):
    assert Client().get(BASE + "mine").status_code == 401

    body = Client().get(BASE + "mine", **bearer(alice)).json()

    assert [(m["shop"]["slug"], m["role"]) for m in body] == [("alice-costumes", "owner")]


def test_open_a_shop_with_a_token(buyer, village):
    response = Client().post(BASE, open_payload(), content_type="application/json", **bearer(buyer))

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert ShopMember.objects.get(shop__slug="hulou-down").user == buyer


def test_opening_needs_auth_and_changes_nothing_without(village):
    response = Client().post(BASE, open_payload(), content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert not Shop.objects.exists()


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"slug": "Bad Slug"}, "slug"),
        ({"slug": "alice-costumes"}, "slug"),
        ({"village": "371721121"}, "village"),
        ({"phone": "nope"}, "phone"),
        ({"name": "x" * 81}, "name"),
    ],
)
def test_open_errors_are_json_naming_the_field(buyer, shop_a, overrides, field):
    before = Shop.objects.count()

    response = Client().post(
        BASE, open_payload(**overrides), content_type="application/json", **bearer(buyer)
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"]
    assert Shop.objects.count() == before


def test_a_retried_open_with_the_same_idempotency_key_returns_the_same_shop(buyer, village):
    headers = {**bearer(buyer), "HTTP_IDEMPOTENCY_KEY": "open-1"}

    first = Client().post(BASE, open_payload(), content_type="application/json", **headers)
    again = Client().post(BASE, open_payload(), content_type="application/json", **headers)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Shop.objects.count() == 1


def test_session_writes_need_the_csrf_token(buyer, village):
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)

    response = client.post(BASE, open_payload(), content_type="application/json")

    assert response.status_code in (401, 403)
    assert not Shop.objects.exists()
