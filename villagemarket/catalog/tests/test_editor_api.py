"""The editor's API: the SKU matrix, bulk SKU updates, photos, copy and preview; who may not."""

from __future__ import annotations

import pytest
from django.test import Client

from villagemarket.catalog.models import SKU, Product, ProductImage
from villagemarket.testing import client_for, make_product

from .conftest import api_token_for, snapshot, upload
from .test_api import bearer, call

SIZES = {"name": "尺码", "values": ["110", "120"]}
COLOURS = {"name": "颜色", "values": ["红", "黄"]}


def matrix_body(price=1990, stock=4):
    rows = [
        {"options": {"尺码": s, "颜色": c}, "price_minor": price, "stock": stock}
        for s in SIZES["values"]
        for c in COLOURS["values"]
    ]
    return {"specs": [SIZES, COLOURS], "rows": rows}


def test_alice_puts_and_gets_the_matrix(alice, alice_draft):
    client = client_for(alice)
    put = call(client, "put", f"/products/{alice_draft.pk}/matrix", matrix_body())
    assert put.status_code == 200, put.content
    body = call(client, "get", f"/products/{alice_draft.pk}/matrix").json()
    assert body["specs"] == [SIZES, COLOURS]
    assert [r["options"] for r in body["rows"]][:2] == [
        {"尺码": "110", "颜色": "红"},
        {"尺码": "110", "颜色": "黄"},
    ]
    assert {(r["price"], r["stock"]) for r in body["rows"]} == {("19.90", 4)}


def test_a_bad_matrix_is_422_naming_the_row_and_changes_nothing(alice, alice_draft):
    before = snapshot(alice_draft)
    body = matrix_body()
    body["rows"][2]["price_minor"] = 0
    response = call(client_for(alice), "put", f"/products/{alice_draft.pk}/matrix", body)
    assert response.status_code == 422
    assert "rows.2.price_minor" in response.json()["fields"]
    assert snapshot(alice_draft) == before


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("buyer", 404), ("bob", 404), ("operator", 404)]
)
def test_only_the_shops_staff_read_or_write_the_matrix(
    people, alice_draft, buyer, bob, operator, who, status
):
    before = snapshot(alice_draft)
    client = people[who]
    assert call(client, "get", f"/products/{alice_draft.pk}/matrix").status_code == status
    put = call(client, "put", f"/products/{alice_draft.pk}/matrix", matrix_body())
    assert put.status_code == status
    assert call(client, "get", f"/products/{alice_draft.pk}/preview").status_code == status
    assert call(client, "post", f"/products/{alice_draft.pk}/copy").status_code == status
    assert snapshot(alice_draft) == before
    assert Product.objects.count() == 1


def test_a_token_works_like_a_session(alice, alice_draft):
    headers = bearer(api_token_for(alice))
    response = call(Client(), "put", f"/products/{alice_draft.pk}/matrix", matrix_body(), **headers)
    assert response.status_code == 200


def test_bulk_update_with_a_retry_applies_once(alice, shop_a):
    sku = make_product(shop_a, stock=5).skus.get()
    client = client_for(alice)
    body = {"changes": [{"sku_id": sku.pk, "stock": 9, "expected_stock": 5, "price_minor": 700}]}
    first = call(client, "post", "/shops/alice-costumes/skus/bulk", body, HTTP_IDEMPOTENCY_KEY="k1")
    again = call(client, "post", "/shops/alice-costumes/skus/bulk", body, HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["items"][0]["stock"] == 9
    # a later save from the same (now stale) view is refused: 409 naming the SKU
    stale = call(client, "post", "/shops/alice-costumes/skus/bulk", body, HTTP_IDEMPOTENCY_KEY="k2")
    assert stale.status_code == 409 and f"{sku.pk}.stock" in stale.json()["fields"]


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("buyer", 404), ("bob", 404)])
def test_only_the_shops_staff_bulk_update(people, shop_a, buyer, bob, who, status):
    sku = make_product(shop_a, stock=5).skus.get()
    body = {"changes": [{"sku_id": sku.pk, "stock": 0}]}
    assert call(people[who], "post", "/shops/alice-costumes/skus/bulk", body).status_code == status
    assert SKU.objects.get(pk=sku.pk).stock == 5


def test_bob_cannot_bulk_edit_alices_skus_through_his_own_shop(bob, shop_a, shop_b):
    sku = make_product(shop_a, stock=5).skus.get()
    body = {"changes": [{"sku_id": sku.pk, "stock": 0}]}
    response = call(client_for(bob), "post", "/shops/bob-quilts/skus/bulk", body)
    assert response.status_code == 422 and str(sku.pk) in response.json()["fields"]
    assert SKU.objects.get(pk=sku.pk).stock == 5


def test_photos_batch_order_and_main(alice, alice_draft):
    client = client_for(alice)
    url = f"/api/v1/catalog/products/{alice_draft.pk}/images/batch"
    posted = client.post(url, {"images": [upload(), upload(), upload()]})
    assert posted.status_code == 201, posted.content
    ids = [i["id"] for i in posted.json()]
    assert len(ids) == 3
    reordered = call(
        client, "put", f"/products/{alice_draft.pk}/images/order", {"order": ids[::-1]}
    )
    assert [i["id"] for i in reordered.json()] == ids[::-1]
    main = call(client, "post", f"/products/{alice_draft.pk}/images/{ids[1]}/main")
    assert main.json()[0]["id"] == ids[1]
    bad = call(client, "put", f"/products/{alice_draft.pk}/images/order", {"order": ids[:1]})
    assert bad.status_code == 422 and "order" in bad.json()["fields"]


def test_others_cannot_upload_photos(bob, alice_draft):
    url = f"/api/v1/catalog/products/{alice_draft.pk}/images/batch"
    assert client_for(bob).post(url, {"images": [upload()]}).status_code == 404
    assert not ProductImage.objects.filter(product=alice_draft).exists()


def test_copy_and_preview(alice, alice_draft):
    client = client_for(alice)
    preview = call(client, "get", f"/products/{alice_draft.pk}/preview")
    assert preview.status_code == 200 and preview.json()["status"] == "draft"
    # the public read still hides the draft
    assert call(Client(), "get", f"/products/{alice_draft.pk}").status_code == 404
    copy = call(client, "post", f"/products/{alice_draft.pk}/copy", HTTP_IDEMPOTENCY_KEY="c1")
    again = call(client, "post", f"/products/{alice_draft.pk}/copy", HTTP_IDEMPOTENCY_KEY="c1")
    assert copy.status_code == 201 and copy.json() == again.json()
    assert copy.json()["status"] == "draft" and Product.objects.count() == 2
    assert [s["stock"] for s in copy.json()["skus"]] == [0]
