"""The brushing queue on a 390 px phone, in English and in Chinese: flags grouped by shop with
their figures, no horizontal overflow, and a decision made from the phone."""

from __future__ import annotations

import pytest

from villagemarket.antifraud import rules
from villagemarket.antifraud.models import Flag

from .helpers import order, tune


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("locale", "heading", "figures"),
    [
        ("en-US", "Suspected fake orders", "3 orders from 1 address in 24 h, threshold 3"),
        ("zh-CN", "疑似刷单", "24 小时 内同一地址 3 笔订单，阈值 3"),
    ],
)
def test_the_queue_fits_a_phone_in_both_languages(
    live_server, monkeypatch, settings, seasoned, operator, address, sku_a, locale, heading, figures
):
    from playwright.sync_api import expect, sync_playwright

    from villagemarket.testing import client_for
    from villagemarket.testing.browser import launch_chromium

    settings.ANTIFRAUD_CHECKS = True
    tune(rules.ADDRESS, threshold=3)
    placed = [order(seasoned, address, sku_a) for _ in range(3)]
    session = client_for(operator).cookies[settings.SESSION_COOKIE_NAME].value
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(locale=locale, viewport={"width": 390, "height": 844})
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/operator/brushing/")
        expect(page.locator("h1")).to_contain_text(heading)
        assert page.locator('[data-testid="flag-subject"]').count() == 3
        assert figures in page.locator("main").inner_text()
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        # decide the first order from the phone
        first = page.locator(f'[data-subject="order:{placed[0].pk}"]')
        first.locator('input[name="note"]').fill("家人代买 / family")
        first.locator('button[value="clear"]').click()
        expect(page.locator('[data-testid="flag-subject"]')).to_have_count(2)
        page.goto(f"{live_server.url}/operator/brushing/rules/")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        browser.close()
    assert Flag.objects.get(order=placed[0]).status == "cleared"
