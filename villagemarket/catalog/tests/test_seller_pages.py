"""Seller-center product pages: alice manages her products; nobody else can see or change them."""

from __future__ import annotations

import pytest
from django.test import Client

from villagemarket.catalog.models import SKU, Product, ProductImage
from villagemarket.shops.models import ShopMember
from villagemarket.testing import client_for, make_user

from .conftest import snapshot, upload

BASE = "/seller/products/alice-costumes"


def page_urls(product):
    return [f"{BASE}/", f"{BASE}/new/", f"{BASE}/{product.pk}/edit/", f"{BASE}/{product.pk}/stock/"]


def posts(product, sku, image):
    p = f"{BASE}/{product.pk}"
    return [
        (
            f"{BASE}/new/",
            {
                "title": "x",
                "category": product.category_id,
                "price": "1",
                "stock": "1",
                "weight_grams": "1",
            },
        ),
        (f"{p}/edit/", {"action": "save", "title": "hacked", "category": product.category_id}),
        (f"{p}/edit/", {"action": "add_sku", "price": "1.00", "stock": "3", "weight_grams": "1"}),
        (
            f"{p}/edit/",
            {"action": "update_sku", "sku": sku.pk, "price": "1.00", "weight_grams": "1"},
        ),
        (f"{p}/edit/", {"action": "remove_sku", "sku": sku.pk}),
        (f"{p}/edit/", {"action": "remove_image", "image": image.pk}),
        (f"{p}/edit/", {"action": "add_image", "image": upload()}),
        (f"{p}/publish/", {}),
        (f"{p}/delist/", {}),
        (f"{p}/stock/", {"sku": sku.pk, "mode": "delta", "amount": "-10"}),
        (f"{p}/stock/", {"sku": sku.pk, "mode": "set", "amount": "0"}),
    ]


@pytest.mark.parametrize("who, status", [("buyer", 404), ("bob", 404), ("operator", 404)])
def test_outsiders_get_404_and_change_nothing(people, alice_product, sku, who, status):
    before = snapshot(alice_product)
    count = Product.objects.count()
    for url in page_urls(alice_product):
        assert people[who].get(url).status_code == status, url
    for url, data in posts(alice_product, sku, alice_product.images.get()):
        assert people[who].post(url, data).status_code == status, url
    assert snapshot(alice_product) == before and Product.objects.count() == count


def test_anonymous_is_sent_to_sign_in_and_changes_nothing(people, alice_product, sku):
    before = snapshot(alice_product)
    for url in page_urls(alice_product):
        response = people["anonymous"].get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"]
    for url, data in posts(alice_product, sku, alice_product.images.get()):
        assert people["anonymous"].post(url, data).status_code == 302
    assert snapshot(alice_product) == before


def test_bob_never_sees_alices_draft_in_his_own_list(people, alice_draft, shop_b):
    response = people["bob"].get("/seller/products/bob-quilts/")
    assert response.status_code == 200 and "秘密新款" not in response.content.decode()
    assert (
        people["bob"].get(f"/seller/products/bob-quilts/{alice_draft.pk}/edit/").status_code == 404
    )


def test_every_form_refuses_a_missing_csrf_token(alice, alice_product, sku):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    before = snapshot(alice_product)
    for url, data in posts(alice_product, sku, alice_product.images.get()):
        assert client.post(url, data).status_code == 403, url
    assert snapshot(alice_product) == before


def test_list_shows_status_price_range_stock_and_low_marker(
    people, alice_product, alice_draft, sku
):
    SKU.objects.create(product=alice_product, options={"尺码": "XL"}, price_minor=12900, stock=2)
    SKU.objects.filter(pk=sku.pk).update(stock=1)
    html = people["alice"].get(f"{BASE}/").content.decode()
    assert "丁楼演出服" in html and "秘密新款" in html
    assert "¥99.00 – ¥129.00" in html and "low" in html
    drafts = people["alice"].get(f"{BASE}/?status=draft").content.decode()
    assert "秘密新款" in drafts and "丁楼演出服" not in drafts
    found = people["alice"].get(f"{BASE}/?q=秘密").content.decode()
    assert "秘密新款" in found and "丁楼演出服" not in found


def test_alice_creates_edits_adds_variant_and_publishes(people, shop_a, category):
    alice = people["alice"]
    response = alice.post(
        f"{BASE}/new/",
        {
            "title": "新款汉服",
            "title_en": "Hanfu",
            "category": category.pk,
            "description": "<p>好</p>",
            "returns_7day": "on",
            "options": "尺码=M",
            "price": "168.00",
            "stock": "5",
            "weight_grams": "400",
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(title="新款汉服")
    assert product.status == "draft" and product.min_price_minor == 16800
    assert product.skus.get().options == {"尺码": "M"}
    edit = f"{BASE}/{product.pk}/edit/"
    alice.post(
        edit,
        {
            "action": "add_sku",
            "options": "尺码=L",
            "price": "178",
            "stock": "2",
            "weight_grams": "450",
        },
    )
    alice.post(edit, {"action": "save", "title": "新款汉服 2", "category": category.pk})
    alice.post(f"{BASE}/{product.pk}/publish/")
    product.refresh_from_db()
    assert (
        product.title == "新款汉服 2"
        and product.status == "published"
        and product.skus.count() == 2
    )
    alice.post(f"{BASE}/{product.pk}/delist/")
    assert Product.objects.get(pk=product.pk).status == "delisted"


def test_bad_input_shows_field_errors_and_changes_nothing(people, alice_product, category):
    count = Product.objects.count()
    response = people["alice"].post(
        f"{BASE}/new/",
        {
            "title": "新款",
            "category": category.pk,
            "price": "12.345",
            "stock": "-1",
            "weight_grams": "1",
        },
    )
    assert response.status_code == 200 and Product.objects.count() == count
    errors = response.context["form"].errors
    assert "price" in errors and "stock" in errors


def test_stock_page_adjusts_with_htmx_and_refuses_going_below_zero(people, alice_product, sku):
    url = f"{BASE}/{alice_product.pk}/stock/"
    row = people["alice"].post(
        url, {"sku": sku.pk, "mode": "delta", "amount": "-4"}, HTTP_HX_REQUEST="true"
    )
    assert row.status_code == 200 and "<strong>6</strong>" in row.content.decode()
    refused = people["alice"].post(
        url, {"sku": sku.pk, "mode": "delta", "amount": "-7"}, HTTP_HX_REQUEST="true"
    )
    assert "6" in refused.content.decode() and 'role="alert"' in refused.content.decode()
    assert SKU.objects.get(pk=sku.pk).stock == 6
    people["alice"].post(url, {"sku": sku.pk, "mode": "set", "amount": "30"})
    assert SKU.objects.get(pk=sku.pk).stock == 30


def test_staff_member_of_shop_a_may_edit(alice_product, village):
    carol = make_user("carol@example.com")
    ShopMember.objects.create(shop=alice_product.shop, user=carol, role="staff")
    client_for(carol).post(
        f"{BASE}/{alice_product.pk}/edit/",
        {"action": "save", "title": "卡罗改", "category": alice_product.category_id},
    )
    assert Product.objects.get(pk=alice_product.pk).title == "卡罗改"


def test_script_in_title_is_escaped_on_the_page(people, alice_product):
    people["alice"].post(
        f"{BASE}/{alice_product.pk}/edit/",
        {
            "action": "save",
            "title": "<script>alert(1)</script>",
            "category": alice_product.category_id,
            "description": "<p onclick='x()'>ok</p><script>alert(2)</script>",
        },
    )
    product = Product.objects.get(pk=alice_product.pk)
    assert product.description == "<p>ok</p>"
    for url in (f"{BASE}/", f"{BASE}/{product.pk}/edit/", f"{BASE}/{product.pk}/stock/"):
        html = people["alice"].get(url).content.decode()
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_image_upload_remove_and_reorder_on_the_edit_page(people, alice_product):
    edit = f"{BASE}/{alice_product.pk}/edit/"
    people["alice"].post(edit, {"action": "add_image", "image": upload()})
    images = list(ProductImage.objects.filter(product=alice_product).order_by("position"))
    assert len(images) == 2
    people["alice"].post(edit, {"action": "move_image", "image": images[1].pk, "step": "-1"})
    assert list(alice_product.images.order_by("position").values_list("pk", flat=True)) == [
        images[1].pk,
        images[0].pk,
    ]
    bad = people["alice"].post(
        edit, {"action": "add_image", "image": upload(b"not an image")}, follow=True
    )
    assert "not a readable image" in bad.content.decode()
    people["alice"].post(edit, {"action": "remove_image", "image": images[0].pk})
    assert list(alice_product.images.values_list("pk", flat=True)) == [images[1].pk]
