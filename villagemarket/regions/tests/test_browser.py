"""The cascading picker in a real browser (Debian's Chromium): htmx loads each level."""

import pytest

from villagemarket.testing import make_region_tree, make_shop, make_user
from villagemarket.testing.browser import launch_chromium


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_picks_province_to_village_and_sees_its_shops(live_server, monkeypatch):
    # given 丁楼村 with alice's shop
    village = make_region_tree()
    make_shop(make_user("alice@example.com"), village, name="Alice 演出服", slug="alice-costumes")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's loop shares the thread
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(locale="en-US")
        page.goto(f"{live_server.url}/regions/")
        picker = page.locator(".region-jump")

        # when they choose each level in turn (each choice loads the next select by htmx)
        for level, name in enumerate(["山东省", "菏泽市", "曹县", "大集镇", "丁楼村"]):
            # a person cannot choose faster than htmx settles the swapped-in selects
            page.wait_for_function(
                "() => !document.querySelector('.region-jump .htmx-added, .region-jump "
                ".htmx-settling, .region-jump .htmx-request, .region-jump.htmx-settling')"
            )
            select = picker.locator("select").nth(level)
            expect(select).to_be_visible()
            select.select_option(label=name)
            if level < 4:
                expect(picker.locator("select")).to_have_count(level + 2)
        picker.get_by_role("button").click()

        # then they are on the village's page and see the shop there
        expect(page.locator("h1")).to_contain_text("丁楼村")
        expect(page.get_by_role("link", name="Alice 演出服")).to_be_visible()
        browser.close()
