"""A buyer writes a photo review, the seller replies, the product page shows both (Chromium)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from villagemarket.orders.services import save_address
from villagemarket.testing import make_product, make_region_tree, make_shop, make_user
from villagemarket.testing.browser import launch_chromium

from .factories import completed_order, photo


def _cookies(user, url: str) -> list[dict]:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_photo_review_reply_and_product_page(live_server, monkeypatch, tmp_path):
    # given a completed order of the buyer at alice's shop
    village = make_region_tree()
    alice = make_user("alice@example.com", name="Alice")
    buyer = make_user("buyer@example.com", name="王芳")
    shop = make_shop(alice, village, name="Alice 演出服", slug="alice-costumes")
    product = make_product(shop, title="丁楼演出服")
    address = save_address(
        user=buyer,
        region_code="371721121",
        detail="丁楼村 3 组",
        recipient="王芳",
        mobile="13912345678",
    )
    order = completed_order(buyer, address, product.skus.get())
    picture = tmp_path / "costume.jpg"
    picture.write_bytes(photo().read())
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's loop shares the thread
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        # when the buyer writes a review with a photo from the order page, on a phone
        buyer_ctx = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
        buyer_ctx.add_cookies(_cookies(buyer, live_server.url))
        page = buyer_ctx.new_page()
        page.goto(f"{live_server.url}/orders/{order.pk}/")
        page.get_by_role("link", name="Write a review").click()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator("label[for=id_item_stars_1]").click()  # 4 stars (5 is the first choice)
        page.locator("#id_text").fill("衣服很漂亮，孩子很喜欢")
        page.locator("#id_photos").set_input_files(str(picture))
        page.get_by_role("button", name="Post the review").click()
        expect(page.locator(".messages")).to_contain_text("review is posted")

        # and the seller replies from the seller center
        seller_ctx = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
        seller_ctx.add_cookies(_cookies(alice, live_server.url))
        seller = seller_ctx.new_page()
        seller.goto(f"{live_server.url}/seller/{shop.slug}/reviews/")
        expect(seller.locator(".review")).to_contain_text("衣服很漂亮")
        assert seller.evaluate("document.documentElement.scrollWidth") <= 390
        seller.locator(".reply-form textarea").fill("谢谢支持，欢迎再来")
        seller.get_by_role("button", name="Reply").click()
        expect(seller.locator(".review .reply")).to_contain_text("谢谢支持")

        # then the product page shows the review, its photo and the reply, and fits a phone
        page.goto(f"{live_server.url}/p/{product.pk}/")
        review = page.locator(".review").first
        expect(review).to_contain_text("衣服很漂亮")
        expect(review.locator(".reply")).to_contain_text("谢谢支持，欢迎再来")
        expect(review.locator(".photos img")).to_have_count(1)
        assert review.locator(".photos img").evaluate("img => img.naturalWidth") == 40
        expect(page.locator("#product-rating")).to_contain_text("4.0")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        browser.close()
