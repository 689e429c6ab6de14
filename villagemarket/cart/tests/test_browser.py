"""The cart in a real browser (Debian's Chromium): add from the product page, change in place."""

from __future__ import annotations

import pytest

from villagemarket.cart.models import CartLine
from villagemarket.testing import make_product, make_region_tree, make_shop, make_user
from villagemarket.testing.browser import launch_chromium

# Records, when the cart is swapped in, whether htmx has already bound its forms. The observer
# runs right after the swapping task: with htmx's default 20 ms settle delay it sees unbound
# forms, which is how a change made just after a swap used to be lost.
LIVE_ON_ARRIVAL = """
window.liveOnArrival = [];
new MutationObserver(() => {
  const form = document.querySelector('#cart form.qty');
  if (form) window.liveOnArrival.push(Boolean((form['htmx-internal-data'] || {}).initHash));
}).observe(document.getElementById('cart-zone'), {childList: true, subtree: true});
"""


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
        page.evaluate(LIVE_ON_ARRIVAL)
        page.locator(f"#q{sku.pk}").fill("3")
        page.locator(f"#q{sku.pk}").dispatch_event("change")
        expect(page.locator(".total .price")).to_have_text("¥297.00")
        assert page.evaluate("window.notReloaded") is True
        # The swapped-in form already listens when it appears (a quick next change is not lost).
        arrivals = page.evaluate("window.liveOnArrival")
        assert arrivals and all(arrivals), arrivals

        # then asking for more than the stock is refused in place, naming what is left. (The new
        # cart is live as soon as it shows: the swap settles at once, so this change is not lost
        # to htmx binding the swapped-in form 20 ms later, which made this step flaky.)
        page.locator(f"#q{sku.pk}").fill("9")
        page.locator(f"#q{sku.pk}").dispatch_event("change")
        expect(page.locator("#cart [role=alert]")).to_contain_text("Only 5 left")
        expect(page.locator(f"#q{sku.pk}")).to_have_value("3")

        # and unticking the line takes it out of the total, in place
        page.locator(f"#s{sku.pk}").uncheck()
        expect(page.locator(".total .price")).to_have_text("¥0.00")
        expect(page.get_by_role("link", name="Check out")).to_have_count(0)
        assert page.evaluate("window.notReloaded") is True
        browser.close()
    line = CartLine.objects.get()
    assert (line.quantity, line.selected) == (3, False)
