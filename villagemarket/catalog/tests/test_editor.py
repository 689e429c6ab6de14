"""The product editor: photos, rich text, copy, preview, the no-JS matrix form, the bulk table."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from villagemarket.catalog import services
from villagemarket.catalog.models import SKU, Product, ProductImage
from villagemarket.core.errors import Invalid, NotFound
from villagemarket.testing import make_product

from .conftest import jpeg_bytes, snapshot, upload

BASE = "/seller/products/alice-costumes"


def png_bytes(size=(40, 30), color=(10, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def image_of(product_image) -> Image.Image:
    with product_image.image.open("rb") as handle:
        picture = Image.open(io.BytesIO(handle.read()))
        picture.load()
    return picture


# --- photos ---------------------------------------------------------------------------------------


def test_several_photos_at_once_are_resized_and_reencoded(alice, alice_draft):
    big = jpeg_bytes(size=(3200, 1200))
    # a sideways phone photo: EXIF orientation 6 (rotate 90°) on a 60 x 40 picture
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "PhoneMaker"
    sideways = jpeg_bytes(size=(60, 40), exif=exif.tobytes())
    images = services.add_images(
        alice, alice_draft.pk, [upload(big), upload(sideways), upload(png_bytes(), "a.png")]
    )
    assert [i.position for i in images] == [0, 1, 2]
    first, turned, third = (image_of(i) for i in images)
    assert max(first.size) == 1600 and first.size == (1600, 600)  # longest side 1600
    assert turned.size == (40, 60)  # turned upright, then the EXIF dropped
    assert not turned.getexif()
    assert first.format == "JPEG" and third.format == "JPEG"  # re-encoded, PNG without alpha too


def test_a_bad_file_in_a_batch_refuses_the_whole_batch_naming_it(alice, alice_draft):
    with pytest.raises(Invalid) as exc:
        services.add_images(alice, alice_draft.pk, [upload(), upload(b"not an image")])
    assert list(exc.value.fields) == ["images.1"]
    assert not ProductImage.objects.filter(product=alice_draft).exists()


def test_at_most_ten_photos_counting_those_already_there(alice, alice_draft):
    services.add_images(alice, alice_draft.pk, [upload() for _ in range(8)])
    with pytest.raises(Invalid) as exc:
        services.add_images(alice, alice_draft.pk, [upload() for _ in range(3)])
    assert "images" in exc.value.fields
    assert ProductImage.objects.filter(product=alice_draft).count() == 8


def test_the_main_photo_moves_first(alice, alice_draft):
    a, b, c = services.add_images(alice, alice_draft.pk, [upload() for _ in range(3)])
    services.set_main_image(alice, alice_draft.pk, c.pk)
    order = list(ProductImage.objects.filter(product=alice_draft).values_list("pk", flat=True))
    assert order == [c.pk, a.pk, b.pk]
    with pytest.raises(NotFound):
        services.set_main_image(alice, alice_draft.pk, 999999)


def test_others_cannot_add_photos(bob, alice_draft):
    with pytest.raises(NotFound):
        services.add_images(bob, alice_draft.pk, [upload()])
    assert not ProductImage.objects.filter(product=alice_draft).exists()


# --- rich text ------------------------------------------------------------------------------------


def test_the_description_keeps_only_what_the_editor_makes(alice, alice_draft):
    html = (
        "<h3>产地</h3><p><strong>曹县</strong> <em>手工</em></p>"
        "<ul><li>一</li></ul><ol><li>二</li></ol>"
        '<p><a href="https://example.com/x">link</a><a href="javascript:alert(1)">bad</a></p>'
        "<script>alert(1)</script>"
        '<p style="color:red" onclick="x()">styled</p><img src=x onerror=y>'
    )
    product = services.update_product(alice, alice_draft.pk, {"description": html})
    kept = product.description
    for tag in ("<h3>", "<strong>", "<em>", "<ul>", "<ol>", "<li>", 'href="https://example.com/x"'):
        assert tag in kept
    for gone in ("<script", "javascript:", "style=", "onclick", "<img", "onerror"):
        assert gone not in kept


# --- copy -----------------------------------------------------------------------------------------


def test_copy_is_a_draft_with_the_same_variants_at_zero_stock_and_its_own_photos(
    alice, alice_product
):
    services.add_images(alice, alice_product.pk, [upload(), upload(png_bytes(), "b.png")])
    copy = services.copy_product(alice, alice_product.pk)
    assert copy.status == "draft" and copy.pk != alice_product.pk
    assert copy.title.startswith("丁楼演出服")
    original = alice_product.skus.get()
    twin = copy.skus.get()
    assert (twin.options, twin.price_minor, twin.stock) == (
        original.options,
        original.price_minor,
        0,
    )
    copied = list(ProductImage.objects.filter(product=copy))
    assert len(copied) == 2  # the fixture's missing file is skipped, the two real ones copied
    originals = set(
        ProductImage.objects.filter(product=alice_product).values_list("image", flat=True)
    )
    assert not {i.image.name for i in copied} & originals  # own files


def test_others_cannot_copy(bob, alice_product):
    with pytest.raises(NotFound):
        services.copy_product(bob, alice_product.pk)
    assert Product.objects.count() == 1


# --- pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("alice", 200), ("bob", 404), ("buyer", 404), ("operator", 404)]
)
def test_preview_is_for_the_shops_staff_only(people, alice_draft, who, status):
    response = people[who].get(f"{BASE}/{alice_draft.pk}/preview/")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Stage costume" in html and 'data-testid="preview-banner"' in html
        assert response["X-Robots-Tag"] == "noindex"


def test_anonymous_preview_goes_to_sign_in(people, alice_draft):
    response = people["anonymous"].get(f"{BASE}/{alice_draft.pk}/preview/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    # and the public product page still hides the draft
    assert people["anonymous"].get(f"/p/{alice_draft.pk}/").status_code == 404


def matrix_post(specs: list[tuple[str, str]], rows: list[dict], action="matrix") -> dict:
    data = {"action": action, "spec_name": [], "spec_values": []}
    for name, values in specs + [("", "")] * (3 - len(specs)):
        data["spec_name"].append(name)
        data["spec_values"].append(values)
    for j, row in enumerate(dict(r) for r in rows):
        data[f"row-{j}-options"] = json.dumps(row.pop("options"), ensure_ascii=False)
        for key, value in row.items():
            data[f"row-{j}-{key}"] = value
    return data


def test_the_matrix_form_works_without_javascript(people, alice_draft):
    edit = f"{BASE}/{alice_draft.pk}/edit/"
    # when alice types two specifications and asks for the table
    table = people["alice"].post(
        edit, matrix_post([("尺码", "110, 120"), ("颜色", "红，黄")], [], "matrix_table")
    )
    html = table.content.decode()
    assert html.count('name="row-') >= 4 * 6 and "110 / 红" in html and "120 / 黄" in html
    # and fills every row with one price and stock, then saves
    combos = [{"尺码": s, "颜色": c} for s in ("110", "120") for c in ("红", "黄")]
    rows = [{"options": o, "price": "35.50", "stock": "8", "code": "", "image": ""} for o in combos]
    saved = people["alice"].post(
        edit, matrix_post([("尺码", "110, 120"), ("颜色", "红，黄")], rows)
    )
    assert saved.status_code == 302
    active = SKU.objects.filter(product=alice_draft, is_active=True)
    assert sorted(s.options["颜色"] + s.options["尺码"] for s in active) == [
        "红110",
        "红120",
        "黄110",
        "黄120",
    ]
    assert {(s.price_minor, s.stock) for s in active} == {(3550, 8)}


def test_a_bad_cell_is_marked_on_its_row_and_nothing_is_saved(people, alice_draft):
    before = snapshot(alice_draft)
    rows = [
        {"options": {"尺码": "110"}, "price": "12", "stock": "1", "code": "", "image": ""},
        {"options": {"尺码": "120"}, "price": "abc", "stock": "-1", "code": "", "image": ""},
    ]
    response = people["alice"].post(
        f"{BASE}/{alice_draft.pk}/edit/", matrix_post([("尺码", "110, 120")], rows)
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'class="has-error"' in html
    assert html.count('role="alert"') >= 2
    assert snapshot(alice_draft) == before


def test_the_matrix_form_refuses_outsiders(people, alice_draft):
    before = snapshot(alice_draft)
    rows = [{"options": {}, "price": "1", "stock": "1", "code": "", "image": ""}]
    for who in ("bob", "buyer", "operator"):
        response = people[who].post(f"{BASE}/{alice_draft.pk}/edit/", matrix_post([], rows))
        assert response.status_code == 404
    assert snapshot(alice_draft) == before


def bulk_post(*rows) -> dict:
    data = {"sku": []}
    for sku, price, stock in rows:
        data["sku"].append(str(sku.pk))
        data[f"orig_price-{sku.pk}"] = str(sku.price.amount)
        data[f"orig_stock-{sku.pk}"] = str(sku.stock)
        data[f"price-{sku.pk}"] = price
        data[f"stock-{sku.pk}"] = stock
    return data


def test_bulk_page_saves_many_cells_at_once(people, shop_a):
    one, two = (make_product(shop_a, title=t, stock=9).skus.get() for t in ("甲", "乙"))
    response = people["alice"].post(
        f"{BASE}/bulk/", bulk_post((one, "12.00", "9"), (two, "99.00", "40"))
    )
    assert response.status_code == 302
    one.refresh_from_db(), two.refresh_from_db()
    assert (one.price_minor, one.stock, two.price_minor, two.stock) == (1200, 9, 9900, 40)


def test_bulk_page_is_all_or_nothing_and_marks_the_bad_row(people, shop_a):
    one, two = (make_product(shop_a, title=t, stock=9).skus.get() for t in ("甲", "乙"))
    response = people["alice"].post(
        f"{BASE}/bulk/", bulk_post((one, "12.00", "9"), (two, "0", "x"))
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f'data-sku="{two.pk}"' in html and "has-error" in html
    one.refresh_from_db()
    assert one.price_minor == 9900


@pytest.mark.parametrize("who", ["bob", "buyer", "operator"])
def test_bulk_page_is_for_the_shops_staff_only(people, shop_a, who):
    sku = make_product(shop_a, stock=9).skus.get()
    assert people[who].get(f"{BASE}/bulk/").status_code == 404
    assert people[who].post(f"{BASE}/bulk/", bulk_post((sku, "1.00", "0"))).status_code == 404
    sku.refresh_from_db()
    assert (sku.price_minor, sku.stock) == (9900, 9)


def test_low_stock_rows_are_marked_in_the_list_and_the_bulk_table(people, shop_a):
    low = make_product(shop_a, title="快卖完", stock=2).skus.get()
    make_product(shop_a, title="很多", stock=50)
    listing = people["alice"].get(f"{BASE}/").content.decode()
    assert "1 low" in listing
    table = people["alice"].get(f"{BASE}/bulk/?low=1").content.decode()
    assert f'data-sku="{low.pk}"' in table and "很多" not in table and "low-row" in table


def test_copy_and_photo_actions_on_the_edit_page(people, alice_product):
    edit = f"{BASE}/{alice_product.pk}/edit/"
    response = people["alice"].post(
        edit, {"action": "add_images", "images": [upload(), upload(png_bytes(), "p.png")]}
    )
    assert response.status_code == 302
    assert ProductImage.objects.filter(product=alice_product).count() == 3
    copied = people["alice"].post(edit, {"action": "copy"})
    copy = Product.objects.exclude(pk=alice_product.pk).get()
    assert copied["Location"].endswith(f"/{copy.pk}/edit/") and copy.status == "draft"
    assert people["bob"].post(edit, {"action": "copy"}).status_code == 404
    assert Product.objects.count() == 2
