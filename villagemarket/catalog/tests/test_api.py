"""Catalog API: public reads, seller writes, and who may not write (a refusal changes nothing)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from villagemarket.catalog.models import SKU, Product, ProductImage
from villagemarket.shops.models import ShopMember
from villagemarket.testing import client_for, make_shop, make_user

from .conftest import api_token_for, jpeg_bytes, snapshot, upload

API = "/api/v1/catalog"


def call(client: Client, method: str, path: str, body=None, **headers):
    kwargs = {"content_type": "application/json"} if body is not None else {}
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(API + path, data, **kwargs, **headers)


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


# --- public reads ---
def test_public_list_shows_published_products_of_active_shops_only(
    alice_product, alice_draft, bob, village
):
    pending = make_shop(bob, village, name="Pending", slug="pending-shop", status="pending")
    hidden = Product.objects.create(
        shop=pending,
        category=alice_product.category,
        title="待审",
        status="published",
        min_price_minor=100,
    )
    body = Client().get(API + "/products").json()
    ids = {item["id"] for item in body["items"]}
    assert ids == {alice_product.pk}
    assert hidden.pk not in ids and alice_draft.pk not in ids
    assert body["items"][0]["min_price"] == "99.00"


@pytest.mark.parametrize(
    "query, found",
    [
        ("category=costumes", True),
        ("category=nope", False),
        ("shop=alice-costumes", True),
        ("shop=bob-quilts", False),
        ("region=3717", True),
        ("region=371721121227", True),
        ("region=44", False),
        ("q=dlycf", True),
        ("q=yanchufu", True),
        ("q=quilt", False),
    ],
)
def test_public_list_filters(alice_product, query, found):
    body = Client().get(f"{API}/products?{query}").json()
    assert (body["count"] == 1) is found


def test_public_list_is_paginated(shop_a, alice_product):
    for i in range(3):
        Product.objects.create(
            shop=shop_a,
            category=alice_product.category,
            title=f"p{i}",
            status="published",
            published_at=timezone.now(),
            min_price_minor=100,
        )
    body = Client().get(API + "/products?size=2&page=2").json()
    assert body["count"] == 4 and body["pages"] == 2 and len(body["items"]) == 2
    assert Client().get(API + "/products?size=500").status_code == 422
    past_the_end = Client().get(API + "/products?size=2&page=9").json()
    assert past_the_end == {"items": [], "count": 4, "page": 9, "pages": 2}
    assert Client().get(API + f"/products?page={2**63}").status_code == 422


def test_categories_tree(alice_product):
    from villagemarket.catalog.models import Category

    Category.objects.create(parent=alice_product.category, name="京剧服", slug="opera")
    tree = Client().get(API + "/categories").json()
    assert tree[0]["slug"] == "costumes" and tree[0]["children"][0]["slug"] == "opera"


def test_product_detail_has_skus_and_stock(alice_product):
    body = Client().get(f"{API}/products/{alice_product.pk}").json()
    assert body["skus"][0]["stock"] == 10 and body["skus"][0]["price"] == "99.00"


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 404), ("buyer", 404), ("bob", 404), ("operator", 404), ("alice", 200)],
)
def test_drafts_are_visible_only_to_the_shop_staff(people, alice_draft, who, status):
    assert people[who].get(f"{API}/products/{alice_draft.pk}").status_code == status
    listed = {i["id"] for i in people[who].get(API + "/products").json()["items"]}
    assert alice_draft.pk not in listed


def test_draft_detail_with_alice_token(alice, alice_draft):
    assert (
        Client().get(f"{API}/products/{alice_draft.pk}", **bearer(api_token_for(alice))).status_code
        == 200
    )


# --- seller writes: alice may -------------------------------------------------------------------
def test_alice_creates_sets_variants_and_publishes_with_her_token(alice, shop_a, category):
    token = bearer(api_token_for(alice))
    c = Client()
    created = call(
        c,
        "post",
        "/products",
        {
            "shop": "alice-costumes",
            "category": category.pk,
            "title": "丁楼演出服",
            "description": "<p>好<script>x</script></p>",
        },
        **token,
    )
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["description"] == "<p>好</p>"
    assert call(c, "post", f"/products/{pid}/publish", **token).json()["code"] == "invalid"
    sku = call(
        c,
        "post",
        f"/products/{pid}/skus",
        {"options": {"尺码": "L"}, "price": "88.50", "stock": 4},
        **token,
    )
    assert sku.status_code == 201 and sku.json()["price_minor"] == 8850
    published = call(c, "post", f"/products/{pid}/publish", **token)
    assert published.json()["status"] == "published" and published.json()["min_price"] == "88.50"
    assert Product.objects.get(pk=pid).search_text.endswith("dinglou yanchufu dlycf")


def test_idempotency_key_returns_the_same_product(alice, shop_a, category):
    token = bearer(api_token_for(alice))
    body = {"shop": "alice-costumes", "category": category.pk, "title": "羽绒被"}
    first = call(Client(), "post", "/products", body, HTTP_IDEMPOTENCY_KEY="k1", **token)
    again = call(Client(), "post", "/products", body, HTTP_IDEMPOTENCY_KEY="k1", **token)
    other = call(Client(), "post", "/products", body, HTTP_IDEMPOTENCY_KEY="k2", **token)
    assert first.status_code == again.status_code == 201
    assert first.content == again.content and first.json()["id"] != other.json()["id"]
    assert Product.objects.filter(title="羽绒被").count() == 2
    reused = call(
        Client(), "post", "/products", {**body, "title": "别的"}, HTTP_IDEMPOTENCY_KEY="k1", **token
    )
    assert reused.status_code == 409 and reused.json()["code"] == "idempotency_key_reused"
    assert not Product.objects.filter(title="别的").exists()


def test_a_retried_stock_change_is_applied_once(alice, alice_product, sku):
    token = bearer(api_token_for(alice))
    path = f"/products/{alice_product.pk}/skus/{sku.pk}/stock"
    for _attempt in range(3):
        response = call(Client(), "post", path, {"delta": -3}, HTTP_IDEMPOTENCY_KEY="s-1", **token)
        assert response.status_code == 200 and response.json()["stock"] == 7
    assert SKU.objects.get(pk=sku.pk).stock == 7


def test_a_malformed_idempotency_key_is_refused_before_any_work(alice, alice_product, sku):
    token = bearer(api_token_for(alice))
    path = f"/products/{alice_product.pk}/skus/{sku.pk}/stock"
    response = call(Client(), "post", path, {"delta": -3}, HTTP_IDEMPOTENCY_KEY="x" * 101, **token)
    assert response.status_code == 422 and "Idempotency-Key" in response.json()["fields"]
    assert SKU.objects.get(pk=sku.pk).stock == 10


def test_stock_delta_and_set(alice, alice_product, sku):
    token = bearer(api_token_for(alice))
    path = f"/products/{alice_product.pk}/skus/{sku.pk}/stock"
    assert call(Client(), "post", path, {"delta": -3}, **token).json()["stock"] == 7
    assert call(Client(), "post", path, {"set": 20}, **token).json()["stock"] == 20
    refused = call(Client(), "post", path, {"delta": -21}, **token)
    assert refused.status_code == 409
    assert refused.json()["code"] == "out_of_stock" and "20" in refused.json()["message"]
    assert SKU.objects.get(pk=sku.pk).stock == 20


@pytest.mark.parametrize(
    "body, field",
    [
        ({"price": "abc"}, "price"),
        ({"price": "1.234"}, "price"),
        ({"price": "-5"}, "price"),
        ({"price": "0"}, "price"),
        ({"price": "9", "stock": -1}, "stock"),
        ({"price": "9", "options": {"尺码": ""}}, "options"),
        ({"price": 9.5}, "price"),
    ],
)
def test_bad_variant_input_names_the_field_and_changes_nothing(alice, alice_product, body, field):
    before = snapshot(alice_product)
    response = call(client_for(alice), "post", f"/products/{alice_product.pk}/skus", body)
    assert response.status_code == 422
    assert field in response.json()["fields"]
    assert snapshot(alice_product) == before


def test_image_upload_and_remove_via_api(alice, alice_product):
    c = Client()
    token = bearer(api_token_for(alice))
    response = c.post(f"{API}/products/{alice_product.pk}/images", {"image": upload()}, **token)
    assert response.status_code == 201, response.content
    image_id = response.json()["id"]
    bad = c.post(
        f"{API}/products/{alice_product.pk}/images",
        {"image": upload(b"%PDF-1.4 not an image", "x.jpg")},
        **token,
    )
    assert bad.status_code == 422 and "image" in bad.json()["fields"]
    assert (
        c.delete(f"{API}/products/{alice_product.pk}/images/{image_id}", **token).status_code == 204
    )
    assert not ProductImage.objects.filter(pk=image_id).exists()


def test_shop_staff_member_may_edit(alice_product, village):
    carol = make_user("carol@example.com")
    ShopMember.objects.create(shop=alice_product.shop, user=carol, role="staff")
    response = call(
        client_for(carol), "patch", f"/products/{alice_product.pk}", {"title": "新标题"}
    )
    assert response.status_code == 200 and response.json()["title"] == "新标题"


# --- seller writes: everybody else is refused and nothing changes ---
def writes(product, sku, image):
    p = f"/products/{product.pk}"
    return [
        ("patch", p, {"title": "hacked"}),
        ("post", p + "/publish", None),
        ("post", p + "/delist", None),
        ("post", p + "/skus", {"price": "1.00", "stock": 5}),
        ("patch", f"{p}/skus/{sku.pk}", {"price": "1.00"}),
        ("delete", f"{p}/skus/{sku.pk}", None),
        ("post", f"{p}/skus/{sku.pk}/stock", {"delta": -10}),
        ("post", f"{p}/skus/{sku.pk}/stock", {"set": 0}),
        ("delete", f"{p}/images/{image.pk}", None),
    ]


@pytest.mark.parametrize(
    "who, status", [("anonymous", 401), ("buyer", 404), ("bob", 404), ("operator", 404)]
)
def test_only_shop_staff_may_write(people, alice_product, sku, who, status):
    image = alice_product.images.get()
    before = snapshot(alice_product)
    for method, path, body in writes(alice_product, sku, image):
        response = call(people[who], method, path, body)
        assert response.status_code == status, (method, path, response.content)
    upload_response = people[who].post(
        f"{API}/products/{alice_product.pk}/images", {"image": upload()}
    )
    assert upload_response.status_code == status
    assert snapshot(alice_product) == before


def test_bob_cannot_create_in_alices_shop(bob, shop_b, shop_a, category):
    response = call(
        client_for(bob),
        "post",
        "/products",
        {"shop": "alice-costumes", "category": category.pk, "title": "x"},
    )
    assert response.status_code == 404
    assert not Product.objects.filter(shop=shop_a).exists()


def test_bob_with_a_token_is_refused_on_alices_product(bob, shop_b, alice_product, sku):
    token = bearer(api_token_for(bob))
    before = snapshot(alice_product)
    for method, path, body in writes(alice_product, sku, alice_product.images.get()):
        assert call(Client(), method, path, body, **token).status_code == 404
    assert snapshot(alice_product) == before


def test_revoked_token_is_refused(alice, alice_product, sku):
    from villagemarket.accounts.models import ApiToken

    secret = api_token_for(alice)
    ApiToken.objects.filter(user=alice).update(revoked_at=timezone.now())
    before = snapshot(alice_product)
    for method, path, body in writes(alice_product, sku, alice_product.images.get()):
        assert call(Client(), method, path, body, **bearer(secret)).status_code == 401
    assert snapshot(alice_product) == before
    assert Client().get(f"{API}/products/{alice_product.pk}", **bearer(secret)).status_code == 200


def test_session_write_needs_csrf(alice, alice_product):
    c = Client(enforce_csrf_checks=True)
    c.force_login(alice)
    response = call(c, "patch", f"/products/{alice_product.pk}", {"title": "csrf"})
    assert response.status_code == 403
    assert Product.objects.get(pk=alice_product.pk).title == "丁楼演出服"


def test_script_in_title_is_returned_as_text_not_markup(alice, alice_product):
    call(
        client_for(alice),
        "patch",
        f"/products/{alice_product.pk}",
        {
            "title": "<script>alert(1)</script>",
            "description": "<img src=x onerror=alert(1)><p>ok</p>",
        },
    )
    product = Product.objects.get(pk=alice_product.pk)
    assert product.description == "<p>ok</p>"
    assert jpeg_bytes  # helper import used by other tests


def test_openapi_lists_the_catalog_endpoints(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/catalog/products/{product_id}/skus/{sku_id}/stock" in paths
    assert "/api/v1/catalog/categories" in paths
