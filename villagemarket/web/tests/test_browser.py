"""A buyer's walk through the storefront in a real browser: home -> category -> product, pick a
variant (price and stock change), the shop, its village, then switch to English."""

from __future__ import annotations

import pytest

from villagemarket.catalog.models import SKU
from villagemarket.testing import make_product
from villagemarket.testing.browser import launch_chromium


@pytest.fixture
def costume(shop_a):
    """A product with three variants. Made before the browser starts: ORM calls inside
    Playwright's event loop would open a connection that is never closed."""
    product = make_product(
        shop_a, title="丁楼演出服", price_minor=9900, stock=10, options={"尺码": "S", "颜色": "红"}
    )
    large = SKU.objects.create(
        product=product, options={"尺码": "L", "颜色": "红"}, price_minor=12900, stock=4
    )
    SKU.objects.create(
        product=product, options={"尺码": "L", "颜色": "蓝"}, price_minor=13900, stock=2
    )
    return product, large


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
        yield page
        browser.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_buyer_walks_the_storefront_and_switches_to_english(costume, live_server, page):
    product, large = costume

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="演出服饰").click()
    assert page.locator("h1").inner_text() == "演出服饰"
    page.locator("a.card", has_text="丁楼演出服").click()

    assert page.locator("h1#title").inner_text() == "丁楼演出服"
    assert page.locator("#sku-price").inner_text() == "¥99.00"
    assert page.locator("#sku-stock").inner_text() == "10"
    assert not page.locator("#sku-select").is_visible()  # the script replaced the select by buttons

    page.locator("#opts button", has_text="L").click()
    assert page.locator("#sku-price").inner_text() == "¥129.00"
    assert page.locator("#sku-stock").inner_text() == "4"
    assert page.locator("#sku-select").input_value() == str(large.pk)
    page.locator("#opts button", has_text="蓝").click()
    assert page.locator("#sku-price").inner_text() == "¥139.00"
    assert page.locator("#sku-stock").inner_text() == "2"

    page.locator("main a", has_text="Alice 演出服").first.click()
    assert page.locator("h1#shop-name").inner_text() == "Alice 演出服"
    assert page.locator("a.card", has_text="丁楼演出服").is_visible()

    page.locator("main a", has_text="丁楼村").first.click()
    assert page.url.endswith("/regions/371721121227/")
    assert "丁楼村" in page.locator("main").inner_text()

    page.goto(live_server.url + f"/p/{product.pk}/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("h1#title").inner_text() == "Stage costume"
    assert page.get_by_role("button", name="Add to cart").is_visible()
    page.get_by_role("link", name="Costumes").click()
    assert page.locator("h1").inner_text() == "Costumes"
