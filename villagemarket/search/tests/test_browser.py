"""The search box and the results filters in a real browser (Debian's Chromium), on a phone:
suggestions by pinyin picked with the keyboard, facets that update the results in place with the
URL following, and the same facets working by reload with JavaScript off."""

from __future__ import annotations

import re

import pytest

from villagemarket.testing import make_product
from villagemarket.testing.browser import launch_chromium

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "en-US"}


def _watch(page) -> list[str]:
    """Console errors and CSP refusals of `page` (a blocked script fails silently otherwise)."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if "Content Security Policy" in m.text or m.type == "error"
            else None
        ),
    )
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_buyer_on_a_phone_searches_by_pinyin_and_narrows_results_in_place(
    live_server, shop_a, shop_b, monkeypatch
):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's loop shares the thread
    costume = make_product(shop_a, title="丁楼演出服")
    make_product(shop_b, title="演出服")
    base = live_server.url

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_context(**PHONE).new_page()
        problems = _watch(page)

        # typing pinyin shows suggestions under the box; arrows and Enter pick one
        page.goto(base + "/")
        box = page.get_by_role("combobox")
        box.press_sequentially("dingl", delay=40)
        option = page.get_by_role("option", name=re.compile("丁楼演出服"))
        expect(option).to_be_visible()
        assert page.locator(".suggest").bounding_box()["width"] <= 390
        box.press("ArrowDown")
        expect(option).to_have_attribute("aria-selected", "true")
        expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
        box.press("Enter")
        page.wait_for_url(f"**/p/{costume.pk}/")

        # a facet click replaces the results in place, and the URL keeps the state
        page.goto(base + "/search/?q=演出服")
        expect(page.get_by_text("2 products")).to_be_visible()
        page.evaluate("window.notReloaded = true")
        page.get_by_text("Narrow down").click()
        page.locator(f"#results .facets a[href*='shop={shop_a.slug}']").click()
        expect(page.get_by_text("1 product", exact=True)).to_be_visible()
        assert f"shop={shop_a.slug}" in page.url
        assert page.evaluate("window.notReloaded") is True
        # Back brings the earlier results back, still without a reload
        page.go_back()
        expect(page.get_by_text("2 products")).to_be_visible()
        assert "shop=" not in page.url and page.evaluate("window.notReloaded") is True
        assert problems == []

        # with JavaScript off the same links reload the page
        plain = browser.new_context(java_script_enabled=False, **PHONE).new_page()
        plain.goto(base + "/search/?q=演出服")
        plain.get_by_text("Narrow down").click()
        plain.locator(f".facets a[href*='shop={shop_a.slug}']").click()
        plain.wait_for_url(f"**shop={shop_a.slug}*")
        expect(plain.get_by_text("1 product", exact=True)).to_be_visible()
        browser.close()
