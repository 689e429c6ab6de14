"""The inbox and the settings page on a 390 px phone, in English and Chinese: no sideways
scrolling, the unread count in the header, opening a notification marks it read."""

from __future__ import annotations

import pytest
from django.utils import translation

from villagemarket.notifications import events, services
from villagemarket.notifications.models import Notification


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locale, language", [("en-US", "en"), ("zh-CN", "zh-hans")])
def test_the_inbox_fits_a_phone_and_opening_news_marks_it_read(
    live_server, monkeypatch, settings, locale, language
):
    from playwright.sync_api import expect, sync_playwright

    from villagemarket.testing import make_user
    from villagemarket.testing.browser import launch_chromium
    from villagemarket.testing.personas import client_for

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    buyer = make_user("buyer@example.com", name="Buyer")
    for n in range(3):
        services.notify(
            events.ORDER_SHIPPED,
            f"order:{n}:ship",
            [buyer.pk],
            params={
                "order": f"#{n}",
                "shop": "丁楼村演出服饰有限公司旗舰店" * 2,
                "carrier": "中通快递",
                "tracking": "ZT1234567890123456789012345",
            },
            url=f"/orders/{n}/",
        )
    with translation.override(language):
        heading = translation.gettext("Notifications")
        settings_heading = translation.gettext("Notification settings")
    session = client_for(buyer).cookies[settings.SESSION_COOKIE_NAME].value
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(locale=locale, viewport={"width": 390, "height": 844})
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()

        def fits() -> int:
            return page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )

        page.goto(f"{live_server.url}/notifications/")
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("header .notif-link")).to_contain_text("(3)")
        expect(page.locator("li.notif.unread")).to_have_count(3)
        assert fits() <= 0

        page.locator("li.notif button.notif-open").first.click()
        page.wait_for_url("**/orders/2/")
        page.goto(f"{live_server.url}/notifications/")
        expect(page.locator("li.notif.unread")).to_have_count(2)
        expect(page.locator("header .notif-link")).to_contain_text("(2)")

        page.goto(f"{live_server.url}/notifications/settings/")
        expect(page.locator("h1")).to_have_text(settings_heading)
        assert fits() <= 0
        page.locator("input[name=order_shipped-sms]").uncheck()
        page.locator("form button[type=submit]").last.click()
        expect(page.locator("input[name=order_shipped-sms]")).not_to_be_checked()
        browser.close()

    assert Notification.objects.filter(read_at__isnull=False).count() == 1
