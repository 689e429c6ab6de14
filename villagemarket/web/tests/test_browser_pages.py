"""Pages in a real browser: the API docs work with the network blocked (no CDN)."""

from __future__ import annotations

import pytest

from villagemarket.testing.browser import launch_chromium


@pytest.fixture
def offline_page(live_server):
    """A Chromium page that can reach only the test server: any other host is refused."""
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []

    def only_local(route):
        if route.request.url.startswith(live_server.url):
            return route.continue_()
        blocked.append(route.request.url)
        return route.abort()

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.route("**/*", only_local)
        yield page, blocked
        browser.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_api_docs_render_their_operations_offline(live_server, offline_page):
    page, blocked = offline_page

    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15_000)

    assert page.locator(".opblock").count() > 10
    assert "/api/v1/" in page.locator(".opblock-summary-path").first.inner_text()
    assert blocked == []  # nothing was fetched from outside
