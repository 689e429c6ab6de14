"""In a real browser under the Content-Security-Policy: the main pages report no violation, and
the scripts and htmx interactions they rely on still work (a blocked script fails silently, so
each is exercised: option picking, the cart's in-place update, the payment status polling)."""

from __future__ import annotations

import pytest
from django.test import Client

from villagemarket.catalog.models import SKU
from villagemarket.orders.models import ShopOrder
from villagemarket.testing import make_product

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Runs in every document before its own scripts: the browser's CSP violation events, collected.
COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


class Browser:
    """A signed-in page that records CSP reports from events and from the console."""

    def __init__(self, browser, live_server, user):
        self.base = live_server.url
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
        context.add_cookies([{"name": "sessionid", "value": session_of(user), "url": self.base}])
        context.add_init_script(COLLECT_VIOLATIONS)
        self.page = context.new_page()
        self.console: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.console.append(f"page error: {exc}"))

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.console.append(message.text)

    def visit(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        self.page.wait_for_load_state("load")
        self.check(path)

    def check(self, where: str) -> None:
        reported = self.page.evaluate("window.__csp || []")
        assert reported == [] and self.console == [], (where, reported, self.console)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_pages_work_under_the_content_security_policy(
    live_server, settings, buyer, alice, shop_a, address, operator, monkeypatch
):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's loop shares the thread
    settings.SANDBOX_NOTIFY_TRANSPORT = "http"
    settings.SITE_URL = live_server.url
    costume = make_product(
        shop_a, title="演出服", price_minor=9900, stock=10, options={"size": "S"}
    )
    SKU.objects.create(product=costume, options={"size": "M"}, price_minor=12900, stock=3)

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        buyer_tab = Browser(chromium, live_server, buyer)
        page = buyer_tab.page

        buyer_tab.visit("/")
        # the product page's nonced script: picking a size shows that size's price and stock
        buyer_tab.visit(f"/p/{costume.pk}/")
        page.locator("#opts button[data-value=M]").click()
        expect(page.locator("#sku-price")).to_contain_text("129")
        expect(page.locator("#sku-stock")).to_have_text("3")
        page.locator("#add-btn").click()
        page.wait_for_url("**/cart/")
        buyer_tab.check("cart")

        # htmx: the cart changes in place
        page.evaluate("window.notReloaded = true")
        quantity = page.locator("#cart input[type=number]").first
        quantity.fill("2")
        quantity.dispatch_event("change")
        expect(page.locator(".total .price")).to_have_text("¥258.00")
        assert page.evaluate("window.notReloaded") is True
        buyer_tab.check("cart after htmx")

        # checkout, the sandbox page, and htmx polling the payment status until it is paid
        buyer_tab.visit("/orders/checkout/")
        page.get_by_role("button", name="Place order and pay").click()
        page.wait_for_url("**/pay/*/")
        buyer_tab.check("pay page")
        page.get_by_role("button", name="Pay", exact=True).click()
        expect(page.locator("#payment-status")).to_have_attribute(
            "data-status", "succeeded", timeout=15_000
        )
        buyer_tab.check("payment return page")

        buyer_tab.visit("/observatory/")
        # Swagger UI from our own static files renders the API's operations
        buyer_tab.visit("/api/v1/docs")
        expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=15_000)
        buyer_tab.check("api docs")

        # the seller center, and the packing slip's nonced style and static print script
        seller = Browser(chromium, live_server, alice)
        order = ShopOrder.objects.get(shop=shop_a)
        for path in (
            f"/seller/{shop_a.slug}/",
            f"/seller/products/{shop_a.slug}/",
            f"/seller/orders/{shop_a.slug}/",
            f"/seller/orders/{shop_a.slug}/{order.pk}/",
            f"/seller/orders/{shop_a.slug}/{order.pk}/slip/",
        ):
            seller.visit(path)
        assert (
            seller.page.evaluate("getComputedStyle(document.body).maxWidth") == "640px"
        )  # the slip's nonced <style> applied
        # the back-office (Django's admin) too
        back_office = Browser(chromium, live_server, operator)
        back_office.visit("/admin/")
        back_office.visit("/admin/orders/shoporder/")
        chromium.close()
