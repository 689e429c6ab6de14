"""Messaging in a real browser (Debian's Chromium): a buyer asks from a product page, the seller
answers, and the buyer's open page shows the answer without reloading; the pages fit a phone."""

from __future__ import annotations

import pytest

from villagemarket.messaging import services
from villagemarket.messaging.models import Message
from villagemarket.testing.browser import launch_chromium
from villagemarket.web.tests.test_browser_phone import check_pages, session_of


def _signed_in(browser, live_server, user, **options):
    context = browser.new_context(locale="en-US", **options)
    context.add_cookies([{"name": "sessionid", "value": session_of(user), "url": live_server.url}])
    return context.new_page()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_buyer_asks_from_a_product_page_and_sees_the_sellers_answer_without_reloading(
    live_server, buyer, alice, product_a, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's loop shares the thread
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        buyer_page = _signed_in(browser, live_server, buyer)
        # given the buyer on the product page, who asks the seller
        buyer_page.goto(f"{live_server.url}/p/{product_a.pk}/")
        buyer_page.get_by_role("link", name="Contact the seller").click()
        expect(buyer_page.locator(".about")).to_contain_text("演出服")
        buyer_page.get_by_label("Message").fill("这件有大号吗？")
        buyer_page.get_by_role("button", name="Send").click()
        expect(buyer_page.locator(".chat-msg.mine")).to_contain_text("这件有大号吗？")
        buyer_page.evaluate("window.notReloaded = true")

        # when the seller opens the shop's inbox and answers (in place, with htmx)
        seller_page = _signed_in(browser, live_server, alice)
        seller_page.goto(f"{live_server.url}/seller/{product_a.shop.slug}/messages/")
        seller_page.get_by_role("link", name="Buyer").click()
        expect(seller_page.locator(".chat-msg.theirs")).to_contain_text("这件有大号吗？")
        expect(seller_page.locator(".chat-msg.theirs .about-card")).to_contain_text("演出服")
        seller_page.evaluate("window.notReloaded = true")
        seller_page.get_by_label("Message").fill("有的，明天发货")
        seller_page.get_by_role("button", name="Send").click()
        expect(seller_page.locator(".chat-msg.mine")).to_contain_text("有的，明天发货")
        expect(seller_page.get_by_label("Message")).to_have_value("")  # a fresh form
        assert seller_page.evaluate("window.notReloaded") is True

        # then the buyer's open page shows the answer by itself, once
        answer = buyer_page.locator(".chat-msg.theirs")
        expect(answer).to_contain_text("有的，明天发货", timeout=10_000)
        assert buyer_page.evaluate("window.notReloaded") is True
        expect(answer).to_have_count(1)

        # and writing again in place adds only the new message (the poll moved the form's position)
        buyer_page.get_by_label("Message").fill("太好了，谢谢")
        buyer_page.get_by_role("button", name="Send").click()
        expect(buyer_page.locator(".chat-msg.mine")).to_have_count(2)
        expect(answer).to_have_count(1)
        assert buyer_page.evaluate("window.notReloaded") is True
        # Leave the conversation pages so no poll is in flight when the test database goes.
        for page in (buyer_page, seller_page):
            page.goto("about:blank")
        browser.close()
    sides = list(Message.objects.order_by("seq").values_list("sender_side", flat=True))
    assert sides == ["buyer", "shop", "buyer"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_messaging_pages_fit_a_phone(live_server, buyer, alice, product_a, language):
    long_line = "曹县丁楼村手工刺绣儿童演出服套装加厚款" * 8 + "x" * 120  # one unbreakable word
    conversation = services.write_to_shop(
        buyer=buyer, shop=product_a.shop, text=long_line, product_id=product_a.pk
    ).conversation
    services.reply(conversation, sender=alice, side="shop", text="有的")
    slug = product_a.shop.slug
    buyer_pages = {
        "messages": "/messages/",
        "messages-thread": f"/messages/{conversation.pk}/",
        "messages-start": f"/messages/shop/{slug}/?product={product_a.pk}",
    }
    seller_pages = {
        "seller-messages": f"/seller/{slug}/messages/",
        "seller-messages-thread": f"/seller/{slug}/messages/{conversation.pk}/",
    }
    problems = check_pages(live_server, session_of(buyer), buyer_pages, language)
    problems += check_pages(live_server, session_of(alice), seller_pages, language)
    assert problems == [], "\n".join(problems)
