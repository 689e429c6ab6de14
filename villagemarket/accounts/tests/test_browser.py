"""A villager signs up by mobile, makes an API token, signs out and back in, in Chromium."""

from __future__ import annotations

import pytest

from villagemarket.testing.browser import launch_chromium

PASSWORD = "peony tea 2024 dinglou"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_villager_signs_up_makes_a_token_signs_out_and_in_again(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="en-US")

        page.goto(live_server.url + "/accounts/signup/")
        page.get_by_label("Display name").fill("Wang of Dinglou")
        page.get_by_label("Mobile number").fill("+86 138 0013 8000")
        page.locator("#id_password1").fill(PASSWORD)
        page.locator("#id_password2").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="Sign up").click()
        assert (
            "Welcome to VillageMarket, Wang of Dinglou." in page.locator(".messages").inner_text()
        )

        page.goto(live_server.url + "/accounts/tokens/")
        page.get_by_label("Token name").fill("stock sheet")
        page.get_by_role("button", name="Create token").click()
        secret = page.locator("#new-token-secret").inner_text()
        assert secret.startswith("vm_")
        page.reload()
        assert page.locator("#new-token-secret").count() == 0  # shown once
        assert "stock sheet" in page.locator("table").inner_text()

        page.get_by_role("button", name="Sign out").click()
        assert page.get_by_role("link", name="Sign in").is_visible()

        page.goto(live_server.url + "/accounts/signin/?next=/accounts/profile/")
        page.get_by_label("Email or mobile number").fill("13800138000")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="Sign in").click()
        assert page.url.endswith("/accounts/profile/")
        assert page.get_by_label("Mobile number").input_value() == "13800138000"
        browser.close()
