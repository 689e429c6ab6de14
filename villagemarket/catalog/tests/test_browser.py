"""Seller stock page in a real browser (Debian's Chromium): htmx swaps just the changed row."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from villagemarket.catalog.models import SKU
from villagemarket.testing import make_product, make_region_tree, make_shop, make_user
from villagemarket.testing.browser import launch_chromium


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_alice_removes_stock_inline_and_is_told_when_too_few_are_left(live_server, monkeypatch):
    # given alice's costume with 10 in stock, and alice signed in
    alice = make_user("alice@example.com")
    shop = make_shop(alice, make_region_tree(), name="Alice 演出服", slug="alice-costumes")
    product = make_product(shop, title="丁楼演出服", options={"尺码": "L"})
    sku = product.skus.get()
    client = Client()
    client.force_login(alice)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's loop shares the thread
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(locale="en-US")
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/seller/products/alice-costumes/{product.pk}/stock/")
        row = page.locator(f"#sku-{sku.pk}")
        expect(row.locator("strong")).to_have_text("10")

        # when she removes 3 (the row is swapped by htmx; the page is not reloaded)
        page.evaluate("window.notReloaded = true")
        row.locator("input[name=amount]").fill("-3")
        row.get_by_role("button").click()

        # then the row shows 7 and the database agrees
        expect(page.locator(f"#sku-{sku.pk} strong")).to_have_text("7")
        assert page.evaluate("window.notReloaded") is True

        # when she tries to remove 20, she is told how many are left and nothing changes
        page.locator(f"#sku-{sku.pk} input[name=amount]").fill("-20")
        page.locator(f"#sku-{sku.pk}").get_by_role("button").click()
        expect(page.locator(f"#sku-{sku.pk} [role=alert]")).to_contain_text("7")
        browser.close()
    assert SKU.objects.get(pk=sku.pk).stock == 7
