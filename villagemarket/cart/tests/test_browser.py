"""The cart in a real browser (Debian's Chromium): add from the product page, change in place."""

from __future__ import annotations

import pytest

from villagemarket.cart.models import CartLine
from villagemarket.testing import make_product, make_region_tree, make_shop, make_user
from villagemarket.testing.browser import launch_chromium


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_anonymous_buyer_adds_from_the_product_page_and_changes_the_quantity_in_place(
    live_server, monkeypatch
):
    # given a costume with 5 in stock in alice's active shop
    shop = make_shop(
        make_user("alice@example.com"), make_region_tree(), name="Alice 演出服", slug="alice"
    )
    product = make_product(shop, title="丁楼演出服", price_minor=9900, stock=5)
    sku = product.skus.get()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's loop shares the thread
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_context(locale="en-US").new_page()
        # when the buyer adds it from the product page
        page.goto(f"{live_server.url}/p/{product.pk}/")
        page.locator("#add-form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/cart/")
        expect(page.locator(f"#line-{sku.pk}")).to_contain_text(
            "Stage costume"
        )  # English title in an en-US browser

        # and changes the quantity to 3 (htmx swaps the cart; the page is not reloaded)
        page.evaluate("window.notReloaded = true")
        page.locator(f"#q{sku.pk}").fill("3")
        page.locator(f"#q{sku.pk}").dispatch_event("change")
        expect(page.locator(".total .price")).to_have_text("¥297.00")
        assert page.evaluate("window.notReloaded") is True

        # then asking for more than the stock is refused in place, naming what is left
        page.locator(f"#q{sku.pk}").fill("9")
        page.locator(f"#q{sku.pk}").dispatch_event("change")
        expect(page.locator("#cart [role=alert]")).to_contain_text("Only 5 left")
        browser.close()
    assert CartLine.objects.get().quantity == 3
