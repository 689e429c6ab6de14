"""A first-time seller on a phone (390 x 844) lists a product with two specifications and three
photos in the editor, publishes it, and it appears in the store.

Prints the flow's time and the editor page's weight (HTML + CSS + JS bytes as served); the
figures go in docs/catalog.md. Nothing is timed as an assertion (STYLE.md: bench, not tests).
"""

from __future__ import annotations

import io
import re
import time

import pytest
from PIL import Image

from villagemarket.catalog.models import SKU, Category, Product
from villagemarket.testing import PASSWORD, make_region_tree, make_shop, make_user
from villagemarket.testing.browser import launch_chromium

PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def png(color) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 700), color).save(out, format="PNG")
    return out.getvalue()


def photos() -> list[dict]:
    colours = [(200, 40, 40), (40, 160, 60), (40, 80, 200)]
    return [
        {"name": f"photo{i}.png", "mimeType": "image/png", "buffer": png(c)}
        for i, c in enumerate(colours, 1)
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_seller_on_a_phone_lists_a_product_with_two_specs_and_three_photos(
    live_server, monkeypatch
):
    seller = make_user("seller@example.com", name="王芳")
    shop = make_shop(seller, make_region_tree(), name="丁楼汉服", slug="dinglou-hanfu")
    parent = Category.objects.create(name="服饰", name_en="Clothing", slug="clothing")
    Category.objects.create(name="演出服", name_en="Stage costumes", slug="stage", parent=parent)
    Category.objects.create(name="农产品", name_en="Farm produce", slug="farm")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's loop shares the thread
    from playwright.sync_api import expect, sync_playwright

    weights: dict[str, int] = {}

    def count(response):
        kind = response.request.resource_type
        if kind in ("document", "stylesheet", "script") and response.status == 200:
            weights[response.url] = len(response.body())

    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(
            locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True
        )
        page = context.new_page()
        started = time.perf_counter()

        # the seller signs in
        page.goto(f"{live_server.url}/accounts/signin/?next=/seller/products/{shop.slug}/new/")
        page.locator("input[name=username]").fill("seller@example.com")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form[action$='/signin/'] button[type=submit]").click()

        # creates the draft: title, category found by searching the tree, a first price
        page.locator("input[name=title]").fill("儿童演出服")
        page.locator(".cat-search").fill("演出")
        page.locator(".cat-list li", has_text="服饰 › 演出服").click()
        page.locator("input[name=price]").fill("59.00")
        page.locator("input[name=stock]").fill("1")
        page.locator(".product-form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/edit/$"))
        page.on("response", count)
        page.reload(wait_until="load")
        page.remove_listener("response", count)
        assert page.evaluate(OVERFLOW) <= 0, "the editor scrolls sideways at 390 px"

        # two specifications as chips: 尺码 110/120, 颜色 红/黄; the table follows
        names = page.locator("input[name=spec_name]")
        chips = page.locator(".chip-input")
        names.nth(0).fill("尺码")
        chips.nth(0).fill("110")
        chips.nth(0).press("Enter")
        chips.nth(0).fill("120")
        chips.nth(0).press("Enter")
        names.nth(1).fill("颜色")
        chips.nth(1).fill("红")
        chips.nth(1).press("Enter")
        chips.nth(1).fill("黄")
        chips.nth(1).press("Enter")
        expect(page.locator("#matrix tbody tr")).to_have_count(4)
        page.locator("input[name=fill_price]").fill("59.00")
        page.locator("input[name=fill_stock]").fill("20")
        page.locator("[data-fill]").click()
        page.locator("[data-testid=save-variants]").click()
        expect(page.locator("#matrix tbody tr")).to_have_count(4)

        # three photos at once
        page.locator("[data-testid=photos]").set_input_files(photos())
        page.locator("#photos button[type=submit]", has_text="上传").click()
        expect(page.locator("#thumbs li")).to_have_count(3)
        assert page.evaluate(OVERFLOW) <= 0

        # publishes, and the product is in the store with its variants and photos
        page.locator("[data-testid=publish]").click()
        product = Product.objects.get(shop=shop)
        page.goto(f"{live_server.url}/p/{product.pk}/")
        expect(page.locator("#title")).to_have_text("儿童演出服")
        expect(page.locator(".gallery img")).to_have_count(3)
        expect(page.locator("#opts button")).to_have_count(4)  # 110, 120, 红, 黄
        elapsed = time.perf_counter() - started
        assert page.evaluate(OVERFLOW) <= 0
        browser.close()

    product.refresh_from_db()
    assert product.status == "published" and product.category.slug == "stage"
    active = SKU.objects.filter(product=product, is_active=True)
    assert sorted((s.options["尺码"], s.options["颜色"]) for s in active) == [
        ("110", "红"),
        ("110", "黄"),
        ("120", "红"),
        ("120", "黄"),
    ]
    assert {(s.price_minor, s.stock) for s in active} == {(5900, 20)}
    total = sum(weights.values())
    print(
        f"\nphone listing flow: {elapsed:.1f} s; editor page weight {total / 1024:.1f} KiB "
        f"({len(weights)} files: "
        + ", ".join(f"{url.rsplit('/', 1)[-1] or 'edit'} {n}" for url, n in weights.items())
        + ")"
    )
