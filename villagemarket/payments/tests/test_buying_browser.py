"""In a real browser: a buyer fills one cart from two shops, unticks one line, leaves a note to a
seller, checks out, pays in the sandbox, sees two orders; the seller ships one and reads the note;
the buyer confirms receipt of it, answering the confirmation question.

The sandbox's notification goes over HTTP to the live server's notify URL, as in production.
"""

from __future__ import annotations

import pytest
from django.test import Client

from villagemarket.orders.models import ShopOrder
from villagemarket.orders.services import save_address
from villagemarket.payments.models import Payment
from villagemarket.testing import make_product
from villagemarket.testing.browser import launch_chromium


def session_of(user) -> str:
    """A signed-in session key for `user` (the sign-in page has its own browser test)."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def fits_the_phone(page) -> bool:
    """No horizontal scrolling on the 390 px wide viewport."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def signed_in(browser, live_server, session_key: str):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    context.add_cookies([{"name": "sessionid", "value": session_key, "url": live_server.url}])
    return context


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_buyer_pays_two_shops_at_once_seller_ships_and_buyer_confirms(
    live_server, settings, buyer, alice, shop_a, shop_b, village
):
    from playwright.sync_api import expect, sync_playwright

    settings.SANDBOX_NOTIFY_TRANSPORT = "http"
    settings.SITE_URL = live_server.url  # the notify URL is on the site address
    costume = make_product(shop_a, title="演出服", price_minor=9900, stock=10)
    quilt = make_product(shop_b, title="羽绒被", price_minor=25000, stock=5)
    later = make_product(shop_b, title="枕头", price_minor=3000, stock=5)
    save_address(
        user=buyer,
        region_code="371721121",
        detail="丁楼村 3 组 12 号",
        recipient="王芳",
        mobile="13912345678",
    )

    buyer_session, alice_session = session_of(buyer), session_of(alice)
    later_sku = later.skus.get().pk

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = signed_in(browser, live_server, buyer_session).new_page()

        # The buyer adds one product from each shop and a third for later, which they untick.
        for product in (costume, quilt, later):
            page.goto(f"{live_server.url}/p/{product.pk}/")
            page.click("#add-btn")
        page.goto(f"{live_server.url}/cart/")
        expect(page.locator(".cart-line .thumb")).to_have_count(3)
        expect(page.locator(".total .price")).to_have_text("¥379.00")
        page.locator(f"#s{later_sku}").uncheck()
        expect(page.locator(".total .price")).to_have_text("¥349.00")  # swapped in place by htmx
        assert fits_the_phone(page), "the cart scrolls sideways at 390 px"
        page.get_by_role("link", name="Check out").click()
        assert fits_the_phone(page), "the checkout scrolls sideways at 390 px"

        # Checkout: a note to Alice's shop, then place the order once.
        expect(page.locator(".shop-order")).to_have_count(2)
        page.locator(".shop-order", has_text=shop_a.name).locator("textarea").fill("请用纸箱包装")
        page.get_by_role("button", name="Place order and pay").click()

        # The sandbox's hosted page: pay; the return page shows "paid" once the notification is in.
        page.wait_for_url("**/pay/*/")
        expect(page.locator("[data-testid=amount]")).to_contain_text("349.00")
        page.get_by_role("button", name="Pay", exact=True).click()
        expect(page.locator("#payment-status")).to_have_attribute(
            "data-status", "succeeded", timeout=10_000
        )

        page.get_by_role("link", name="See my orders").click()
        expect(page.locator("a.card.order")).to_have_count(2)
        expect(page.locator("a.card.order .status").first).to_have_text("awaiting shipment")
        # No ORM inside playwright's block: its greenlet would hold a connection of its own.
        order_a_url = page.locator("a.card.order", has_text=shop_a.name).get_attribute("href")
        order_a_pk = int(order_a_url.rstrip("/").rsplit("/", 1)[1])

        # Alice ships her order from the seller center.
        seller = signed_in(browser, live_server, alice_session).new_page()
        seller.goto(f"{live_server.url}/seller/orders/{shop_a.slug}/{order_a_pk}/")
        expect(seller.locator(".note-to-seller")).to_contain_text("请用纸箱包装")
        seller.select_option("select[name=courier]", "ZTO")
        seller.fill("input[name=tracking_no]", "75123456789012")
        seller.get_by_role("button", name="Mark as shipped").click()
        seller.wait_for_load_state()

        # The buyer confirms receipt, and is asked once more before it completes.
        page.goto(f"{live_server.url}{order_a_url}")
        page.get_by_role("link", name="Confirm receipt").click()
        expect(page.locator("h1")).to_have_text("Have you received this parcel?")
        assert fits_the_phone(page), "the confirmation page scrolls sideways at 390 px"
        page.get_by_role("button", name="Yes, I received it").click()
        expect(page.locator("body")).to_contain_text("completed")
        # The unticked line is still in the cart.
        page.goto(f"{live_server.url}/cart/")
        expect(page.locator(".cart-line")).to_have_count(1)
        browser.close()

    payment = Payment.objects.get(buyer=buyer)
    assert payment.status == "succeeded" and payment.amount_minor == 34900
    order_a = ShopOrder.objects.get(pk=order_a_pk, payment=payment, shop=shop_a)
    assert (order_a.status, order_a.tracking_no) == ("completed", "75123456789012")
    assert ShopOrder.objects.get(payment=payment, shop=shop_b).status == "awaiting_shipment"
    assert order_a.note_to_seller == "请用纸箱包装"
    assert [line.sku.product_id for line in buyer.cart.lines.all()] == [later.pk]
