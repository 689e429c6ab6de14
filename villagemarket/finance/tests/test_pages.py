"""The finance pages: operators only, figures in yuan, bad dates explained, CSV, the
reconciliation verdict, both languages, a 390 px phone."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse

from villagemarket.core.money import Money
from villagemarket.ledger import services as ledger
from villagemarket.testing import client_for, make_product, make_shop, make_user
from villagemarket.testing.browser import launch_chromium

from . import flows

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("finance:dashboard")
EXPORT = reverse("finance:export")
RECONCILIATION = reverse("finance:reconciliation")


@pytest.fixture
def day(buyer, address, sku_a, sku_b, alice, shop_a, operator):
    return flows.market_day(buyer, address, sku_a, sku_b, alice, shop_a, operator)


@pytest.mark.parametrize("url", [DASHBOARD, EXPORT, RECONCILIATION])
@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("buyer", 403), ("alice", 403), ("bob", 403), ("operator", 200)],
)
def test_only_operators_see_the_finance_pages(people, day, url, who, status):
    response = people[who].get(url)

    assert response.status_code == status
    if status == 302:
        assert "/accounts/" in response["Location"]
    assert ("547.00" in response.content.decode("utf-8-sig")) == (status == 200)  # nothing leaks


def test_the_dashboard_shows_each_figure_and_the_chart(people, day):
    text = people["operator"].get(DASHBOARD).text

    for figure in ("¥547.00", "¥200.00", "¥9.90", "¥149.00", "¥20.00", "¥50.00"):
        assert figure in text
    assert "<svg" in text and "polyline" in text
    assert 'aria-current="page">Daily figures' in text


def test_bad_dates_say_what_is_wrong_and_keep_what_was_typed(people):
    response = people["operator"].get(DASHBOARD + "?start=2026-13-01&end=2026-03-01")

    assert response.status_code == 400
    assert "Not a date: give it as YYYY-MM-DD" in response.text
    assert 'value="2026-13-01"' in response.text and 'value="2026-03-01"' in response.text


def test_the_csv_has_a_row_per_day_in_yuan(people, day):
    response = people["operator"].get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Day",
        "GMV",
        "Escrow held",
        "Commission",
        "Refunds",
        "Pending payouts",
        "Payouts",
    ]
    assert len(rows) == 31
    assert rows[-1][1:] == ["547.00", "200.00", "9.90", "149.00", "20.00", "50.00"]


def test_a_csv_of_bad_dates_is_refused_with_the_reason(people):
    response = people["operator"].get(EXPORT + "?end=soon")

    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.text


def test_the_reconciliation_page_says_all_agree(people, day):
    text = people["operator"].get(RECONCILIATION).text

    assert "All agree: no mismatch found." in text
    assert "¥200.00" in text  # escrow held, and what it should hold


def test_the_reconciliation_page_lists_each_mismatch_with_links(people, day, shop_a):
    ledger.record_payout(reference="cash-in-hand", shop_id=shop_a.pk, amount=Money(1_000))
    ledger.record_payment_captured(reference="stray", provider="sandbox", amount=Money(700))

    text = people["operator"].get(RECONCILIATION).text

    assert "3 mismatches found." in text  # the two strays and escrow off by ¥7
    assert "payout_without_withdrawal" in text and "cash-in-hand" in text
    assert "capture_without_payment" in text
    assert "/admin/ledger/ledgertransaction/" in text


def test_the_operator_dashboard_links_to_the_finance_pages(people):
    text = people["operator"].get(reverse("web:operator-dashboard")).text

    assert DASHBOARD in text and RECONCILIATION in text


@pytest.mark.parametrize("url", [DASHBOARD, RECONCILIATION])
def test_the_pages_read_in_chinese(people, day, url):
    client = people["operator"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    response = client.get(url)

    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.text
    # money in the Chinese way; ¥547.00 is below 万 so it stays exact
    assert "¥200.00" in response.text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en-US", "zh-CN"])
def test_the_finance_pages_fit_a_phone(live_server, monkeypatch, village, language):
    # given a day of trade (built here: transactional tests cannot share fixtures' data)
    buyer = make_user("buyer@example.com", name="Buyer")
    alice = make_user("alice@example.com", name="Alice")
    operator = make_user("operator@example.com", staff=True, name="Operator")
    shop = make_shop(alice, village, name="Alice 演出服", slug="alice-costumes")
    sku = make_product(shop, title="演出服", price_minor=9900, stock=10).skus.get()
    from villagemarket.orders.services import save_address

    address = save_address(
        user=buyer,
        region_code="371721121",
        detail="丁楼村 3 组 12 号",
        recipient="王芳",
        mobile="13912345678",
    )
    flows.completed(buyer, flows.paid(buyer, address, sku, 2))
    session = client_for(operator).cookies[settings.SESSION_COOKIE_NAME].value
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's loop shares the thread
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(locale=language, viewport={"width": 390, "height": 844})
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        for path in (DASHBOARD, RECONCILIATION):
            page.goto(f"{live_server.url}{path}")
            expect(page.locator("main")).to_contain_text("¥198.00")
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (path, overflow)
        browser.close()
