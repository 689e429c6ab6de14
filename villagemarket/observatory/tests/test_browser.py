"""The observatory's pages on a 390 px phone, in both languages: nothing wider than the screen."""

import datetime
import os

import pytest

from villagemarket.observatory.services import compute_year, import_statistics
from villagemarket.observatory.tests.helpers import opened_shop, sell, small_rules
from villagemarket.testing import make_user
from villagemarket.testing.browser import launch_chromium

HEADER = "village_code,year,online_shops,active_shops,households,annual_sales_yuan\n"
PAGES = [
    "/observatory/?year=2018",
    "/observatory/area/37/?year=2018",
    "/observatory/area/371721/?year=2018",
    "/observatory/villages/?year=2018",
    "/observatory/village/371721121227/?year=2018",
    "/observatory/clusters/?year=2018",
    "/observatory/operator/",
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en-US", "zh-CN"])
def test_observatory_pages_fit_a_phone(live_server, village, lang):
    from playwright.sync_api import sync_playwright

    # given two years of figures with large sums, and an operator signed in
    rows = "".join(
        f"{village.code},{year},400,200,370,{sales}\n"
        for year, sales in ((2017, "123456789012.34"), (2018, "987654321098.76"))
    )
    import_statistics(text=HEADER + rows, source="county statistics bureau", file_name="a.csv")
    shop = opened_shop(village, "dinglou-costumes-and-dance-wear", datetime.date(2018, 1, 5))
    sell(shop, datetime.date(2018, 11, 1), 4321_00, n=3)
    # (a transactional test starts without the seeded rule sets: bring one)
    rules = small_rules(name="phone", year_from=2017, year_to=2018)
    compute_year(2017, rules.name)
    compute_year(2018, rules.name)
    make_user("ops@example.com", staff=True)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale=lang)
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "ops@example.com")
        page.fill("#id_password", "correct horse battery staple")
        page.locator("input[type=submit]").click()
        for url in PAGES:
            # when each page is shown on a phone
            page.goto(live_server.url + url)
            # then nothing makes the page scroll sideways (wide tables scroll inside their box)
            width = page.evaluate("document.documentElement.scrollWidth")
            culprits = page.evaluate(
                "[...document.querySelectorAll('body *')].filter(e => "
                "e.getBoundingClientRect().right > 391).slice(0, 5)"
                ".map(e => e.tagName + '.' + e.className)"
            )
            assert width <= 390, f"{url} is {width}px wide in {lang}: {culprits}"
            if os.environ.get("VM_SCREENSHOTS"):
                name = url.strip("/").split("?")[0].replace("/", "_") or "index"
                page.screenshot(
                    path=f"{os.environ['VM_SCREENSHOTS']}/{lang}-{name}.png", full_page=True
                )
        browser.close()
