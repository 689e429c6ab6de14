"""The moderation pages on a 390 px phone, in English and Chinese: the queue with a held spam
listing (long links must wrap), the terms page and a buyer's report page."""

from __future__ import annotations

import pytest

from villagemarket.catalog import services as catalog
from villagemarket.testing import client_for, make_product

from .conftest import SPAM_BLOCK


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "locale, queue, terms, report",
    [
        ("en-US", "Moderation queue", "Prohibited terms", "Report this"),
        ("zh-CN", "审核队列", "违禁词", "举报"),
    ],
)
def test_moderation_pages_fit_a_phone_in_both_languages(
    live_server, monkeypatch, alice, buyer, operator, shop_a, locale, queue, terms, report
):
    from django.conf import settings
    from playwright.sync_api import expect, sync_playwright

    from villagemarket.moderation.models import Term
    from villagemarket.testing.browser import launch_chromium

    Term.objects.get_or_create(text="http", defaults={"category": "links"})  # flushed DBs
    spam = make_product(shop_a, title="特价演出服", status="draft")
    catalog.update_product(alice, spam.pk, {"description": SPAM_BLOCK})
    catalog.publish_product(alice, spam.pk)
    clean = make_product(shop_a, title="演出服")
    pages = [
        (operator, "/operator/moderation/", queue),
        (operator, "/operator/moderation/terms/", terms),
        (buyer, f"/moderation/report/product/{clean.pk}/", report),
    ]
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = launch_chromium(p)
        for person, path, heading in pages:
            session = client_for(person).cookies[settings.SESSION_COOKIE_NAME].value
            context = browser.new_context(locale=locale, viewport={"width": 390, "height": 844})
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
            page = context.new_page()
            page.goto(f"{live_server.url}{path}")
            expect(page.locator("h1")).to_contain_text(heading)
            if path == "/operator/moderation/":
                expect(page.locator("[data-testid=case]")).to_have_count(1)
                page.locator("details summary").first.click()  # the full spam block, opened
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (path, overflow)
            context.close()
        browser.close()
