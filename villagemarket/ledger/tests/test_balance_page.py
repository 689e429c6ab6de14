"""The seller's balance page: available, held in escrow, paid out, per household, history."""

import pytest
from django.conf import settings
from django.urls import reverse

from villagemarket.core.money import Money
from villagemarket.ledger import selectors, services
from villagemarket.ledger.services import OrderLine
from villagemarket.shops.models import Household
from villagemarket.testing import client_for, make_shop
from villagemarket.testing.browser import launch_chromium

pytestmark = pytest.mark.django_db


def _sell_and_pay_out(shop, households=()):
    services.record_payment_captured(reference="p1", provider="sandbox", amount=Money(10_000))
    lines = [
        OrderLine(Money(10_000 // max(1, len(households))), household_id=h.pk) for h in households
    ]
    services.settle_order(
        reference="o1", shop_id=shop.pk, lines=lines or [OrderLine(Money(10_000))], freight=Money(0)
    )
    services.record_payout(
        reference="w1",
        shop_id=shop.pk,
        amount=Money(2_000),
        household_id=households[0].pk if households else None,
    )


def test_the_owner_sees_available_paid_out_and_the_history(people, shop_a):
    _sell_and_pay_out(shop_a)

    response = people["alice"].get(reverse("seller_ledger:balance", args=[shop_a.slug]))

    text = response.text
    assert response.status_code == 200
    assert "¥75.00" in text  # available: 100.00 - 5.00 commission - 20.00 paid out
    assert "¥20.00" in text  # paid out
    assert "+¥95.00" in text and "−¥20.00" in text  # settled, then paid out
    # orders registers the source (no unfinished orders here): shown, as zero
    assert "Held in escrow" in text
    assert 'aria-current="page">Balance' in text


def test_held_in_escrow_is_left_out_when_nothing_tells_it(people, shop_a, monkeypatch):
    monkeypatch.setattr(selectors, "_held_in_escrow", None)

    text = people["alice"].get(reverse("seller_ledger:balance", args=[shop_a.slug])).text

    assert "Held in escrow" not in text  # unknown, so not shown as ¥0.00


def test_held_in_escrow_comes_from_the_registered_source(people, shop_a, monkeypatch):
    monkeypatch.setattr(selectors, "_held_in_escrow", lambda shop_id, currency: Money(12_345))

    text = people["alice"].get(reverse("seller_ledger:balance", args=[shop_a.slug])).text

    assert "Held in escrow" in text and "¥123.45" in text


def test_a_service_point_sees_each_households_earnings(people, alice, village):
    point = make_shop(alice, village, name="丁楼服务站", slug="dinglou", kind="service_point")
    wang = Household.objects.create(shop=point, name="王家", village=village)
    li = Household.objects.create(shop=point, name="李家", village=village)
    _sell_and_pay_out(point, [wang, li])

    text = people["alice"].get(reverse("seller_ledger:balance", args=[point.slug])).text

    # each earned 50.00 - 2.50; 王家 was paid 20.00 of it
    assert "王家" in text and "¥27.50" in text
    assert "李家" in text and "¥47.50" in text


@pytest.mark.parametrize(
    ("who", "status"), [("buyer", 404), ("bob", 404), ("operator", 404), ("alice", 200)]
)
def test_only_the_shops_staff_see_its_balance(people, shop_a, shop_b, who, status):
    _sell_and_pay_out(shop_a)

    response = people[who].get(reverse("seller_ledger:balance", args=[shop_a.slug]))

    assert response.status_code == status
    assert ("¥75.00" in response.text) == (status == 200)


def test_anonymous_visitors_are_sent_to_sign_in(people, shop_a):
    response = people["anonymous"].get(reverse("seller_ledger:balance", args=[shop_a.slug]))

    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_the_page_reads_in_chinese(people, shop_a):
    _sell_and_pay_out(shop_a)
    client = people["alice"]
    client.cookies["django_language"] = "zh-hans"

    text = client.get(reverse("seller_ledger:balance", args=[shop_a.slug])).text

    assert "¥75.00" in text
    assert 'lang="zh-hans"' in text.lower() or "zh-hans" in text.lower()


def test_a_long_history_is_paged(people, shop_a):
    services.record_payment_captured(reference="p1", provider="sandbox", amount=Money(100_000))
    for i in range(31):
        services.settle_order(
            reference=f"o{i}", shop_id=shop_a.pk, lines=[OrderLine(Money(100))], freight=Money(0)
        )
    url = reverse("seller_ledger:balance", args=[shop_a.slug])

    first, second = people["alice"].get(url).text, people["alice"].get(url + "?page=2").text

    assert "1 / 2" in first and "#o30" in first and "#o0<" not in first
    assert "#o0<" in second


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_balance_page_fits_a_phone(live_server, monkeypatch, village):
    from villagemarket.testing import make_user

    alice = make_user("alice@example.com", name="Alice")
    shop = make_shop(alice, village, name="Alice 演出服", slug="alice-costumes")
    _sell_and_pay_out(shop)
    signed_in = client_for(alice)
    session = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's loop shares the thread
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/seller/balance/{shop.slug}/")

        expect(page.locator("h1")).to_contain_text("Balance")
        expect(page.locator(".ledger-history")).to_contain_text("−¥20.00")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        browser.close()
