"""Refund and dispute pages: the buyer asks, the seller answers, the operator decides; who may."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from villagemarket.orders.models import Dispute, RefundRequest, ShopOrder
from villagemarket.orders.tests.factories import paid_order, shipped_order

pytestmark = pytest.mark.django_db


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return SimpleUploadedFile("broken.png", buffer.getvalue(), content_type="image/png")


def ask(client, order, amount="99.00", **extra):
    data = {"amount": amount, "reason": "damaged", "kind": "money_only", "detail": "", **extra}
    return client.post(f"/orders/{order.pk}/refund/", data)


def test_the_order_page_offers_a_refund_and_the_buyer_gets_it_at_once_before_shipment(
    people, buyer, address, sku_a
):
    order = paid_order(buyer, address, sku_a)
    page = people["buyer"].get(f"/orders/{order.pk}/").content.decode()
    assert f"/orders/{order.pk}/refund/" in page
    form = people["buyer"].get(f"/orders/{order.pk}/refund/")
    assert form.status_code == 200 and "99.00" in form.content.decode()

    response = ask(people["buyer"], order, f"{order.total_minor / 100:.2f}")

    refund = RefundRequest.objects.get()
    assert response.status_code == 302 and response.url == f"/orders/refunds/{refund.pk}/"
    assert refund.status == "refunded"
    assert ShopOrder.objects.get(pk=order.pk).status == "closed"
    assert "refunded" in people["buyer"].get(response.url).content.decode().lower()


def test_too_much_is_shown_on_the_amount_field_and_changes_nothing(people, buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)

    response = ask(people["buyer"], order, "100000.00")

    assert response.status_code == 422
    assert "At most" in response.content.decode()
    assert not RefundRequest.objects.exists()


def test_a_malformed_amount_is_refused_on_its_field(people, buyer, address, sku_a):
    response = ask(people["buyer"], paid_order(buyer, address, sku_a), "1e9")
    assert response.status_code == 422 and not RefundRequest.objects.exists()


@pytest.mark.parametrize("who, status", [("alice", 404), ("bob", 404), ("operator", 404)])
def test_only_the_buyer_may_open_the_refund_form(people, buyer, address, sku_a, who, status):
    order = paid_order(buyer, address, sku_a)

    assert people[who].get(f"/orders/{order.pk}/refund/").status_code == status
    assert ask(people[who], order).status_code == status
    assert not RefundRequest.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(people, buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    response = people["anonymous"].get(f"/orders/{order.pk}/refund/")
    assert response.status_code == 302 and "signin" in response.url


def test_the_seller_sees_the_request_and_approves_a_return_then_confirms_it(
    people, buyer, address, sku_a
):
    order = shipped_order(buyer, address, sku_a)
    ask(people["buyer"], order, kind="return")
    refund = RefundRequest.objects.get()
    seller_url = f"/seller/orders/alice-costumes/refunds/{refund.pk}/"
    assert seller_url in people["alice"].get(f"/seller/orders/alice-costumes/{order.pk}/").text
    assert people["bob"].get(seller_url).status_code == 404
    assert people["buyer"].get(seller_url).status_code == 404

    people["alice"].post(seller_url + "approve/", {"note": ""})
    people["buyer"].post(
        f"/orders/refunds/{refund.pk}/return/", {"carrier": "顺丰", "tracking_no": "SF1234567"}
    )
    assert people["bob"].post(seller_url + "confirm_return/").status_code == 404
    people["alice"].post(seller_url + "confirm_return/")

    refund.refresh_from_db()
    assert refund.status == "refunded" and refund.return_tracking_no == "SF1234567"


def test_a_dispute_page_carries_both_statements_with_evidence_and_the_operators_decision(
    people, buyer, address, sku_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    order = shipped_order(buyer, address, sku_a)
    ask(people["buyer"], order)
    refund = RefundRequest.objects.get()
    people["alice"].post(
        f"/seller/orders/alice-costumes/refunds/{refund.pk}/reject/", {"note": "完好发出"}
    )

    opened = people["buyer"].post(
        f"/orders/refunds/{refund.pk}/dispute/", {"text": "到货破损", "image": photo()}
    )
    dispute = Dispute.objects.get()
    assert opened.url == f"/orders/disputes/{dispute.pk}/"
    people["alice"].post(opened.url, {"text": "有发货视频"})
    page = people["operator"].get(opened.url).content.decode()
    assert "到货破损" in page and "有发货视频" in page and "<img" in page
    assert people["bob"].get(opened.url).status_code == 404
    assert people["operator"].get("/orders/disputes/").status_code == 200
    assert people["buyer"].get("/orders/disputes/").status_code == 403
    refused = people["alice"].post(opened.url, {"decide": "1", "for_buyer": "seller", "note": "x"})
    assert refused.status_code == 422

    people["operator"].post(opened.url, {"decide": "1", "for_buyer": "buyer", "note": "照片可信"})

    refund.refresh_from_db()
    assert refund.status == "refunded"
    assert "照片可信" in people["buyer"].get(opened.url).content.decode()


def test_the_sellers_history_names_the_order_a_refund_after_settlement_was_on(
    people, buyer, address, sku_a, shop_a
):
    from django.urls import reverse

    from villagemarket.orders import services

    order = shipped_order(buyer, address, sku_a)
    services.confirm_receipt(buyer=buyer, order_id=order.pk)  # settled
    ask(people["buyer"], order, "10.00")
    services.approve_refund(shop=shop_a, refund_id=RefundRequest.objects.get().pk)

    page = people["alice"].get(reverse("seller_ledger:balance", args=[shop_a.slug])).text
    assert f"Order #{order.pk} settled" in page
    assert f"Refund on order #{order.pk}" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locale, heading", [("en-US", "Refund #"), ("zh-CN", "#")])
def test_the_refund_pages_fit_a_phone(live_server, monkeypatch, village, locale, heading):
    from django.conf import settings

    from villagemarket.orders import services
    from villagemarket.testing import make_product, make_shop, make_user
    from villagemarket.testing.browser import launch_chromium
    from villagemarket.testing.personas import client_for

    buyer = make_user("buyer@example.com", name="Buyer")
    alice = make_user("alice@example.com", name="Alice")
    shop = make_shop(alice, village, name="Alice 演出服", slug="alice-costumes")
    sku = make_product(shop, title="演出服", price_minor=9900, stock=10).skus.get()
    address = services.save_address(
        user=buyer, region_code="371721121", detail="丁楼村", recipient="王芳", mobile="13912345678"
    )
    order = shipped_order(buyer, address, sku)
    session = client_for(buyer).cookies[settings.SESSION_COOKIE_NAME].value
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(locale=locale, viewport={"width": 390, "height": 844})
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/orders/{order.pk}/refund/")
        page.locator("select[name=reason]").select_option("damaged")
        page.locator("form.refund-form button[type=submit]").click()
        expect(page.locator("h1")).to_contain_text(heading)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        browser.close()
    assert RefundRequest.objects.get().status == "requested"


@pytest.mark.parametrize("model", ["refundrequest", "dispute"])
def test_operators_read_refunds_and_disputes_in_the_back_office(
    people, buyer, address, sku_a, model
):
    order = shipped_order(buyer, address, sku_a)
    ask(people["buyer"], order)
    refund = RefundRequest.objects.get()
    people["buyer"].post(f"/orders/refunds/{refund.pk}/dispute/", {"text": "坏了"})
    obj = refund if model == "refundrequest" else Dispute.objects.get()

    listing = people["operator"].get(f"/admin/orders/{model}/")
    detail = people["operator"].get(f"/admin/orders/{model}/{obj.pk}/change/")

    assert (listing.status_code, detail.status_code) == (200, 200)
    assert people["buyer"].get(f"/admin/orders/{model}/").status_code == 302


def test_the_balance_page_holds_in_escrow_what_a_refund_did_not_give_back(
    people, buyer, address, sku_a, shop_a
):
    from django.urls import reverse

    from villagemarket.ledger.selectors import held_in_escrow
    from villagemarket.orders import services

    order = shipped_order(buyer, address, sku_a)
    assert held_in_escrow(shop_a.pk).minor == order.total_minor
    ask(people["buyer"], order, "10.00")
    services.approve_refund(shop=shop_a, refund_id=RefundRequest.objects.get().pk)

    assert held_in_escrow(shop_a.pk).minor == order.total_minor - 1000
    page = people["alice"].get(reverse("seller_ledger:balance", args=[shop_a.slug])).text
    assert "Held in escrow" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_buyer_asks_after_shipment_the_seller_approves_and_both_see_it(
    live_server, monkeypatch, village
):
    from django.conf import settings

    from villagemarket.orders import services
    from villagemarket.testing import make_product, make_shop, make_user
    from villagemarket.testing.browser import launch_chromium
    from villagemarket.testing.personas import client_for

    buyer = make_user("buyer@example.com", name="Buyer")
    alice = make_user("alice@example.com", name="Alice")
    shop = make_shop(alice, village, name="Alice 演出服", slug="alice-costumes")
    sku = make_product(shop, title="演出服", price_minor=9900, stock=10).skus.get()
    address = services.save_address(
        user=buyer, region_code="371721121", detail="丁楼村", recipient="王芳", mobile="13912345678"
    )
    order = shipped_order(buyer, address, sku)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    def phone(browser, user):
        context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
        session = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        return context.new_page()

    with sync_playwright() as p:
        browser = launch_chromium(p)
        seller = phone(browser, alice)
        seller.goto(f"{live_server.url}/seller/balance/{shop.slug}/")
        expect(seller.locator("body")).to_contain_text("Held in escrow")
        before = seller.locator(".card", has_text="Held in escrow").inner_text()

        # given the buyer asks for everything back after shipment
        buyer_page = phone(browser, buyer)
        buyer_page.goto(f"{live_server.url}/orders/{order.pk}/")
        buyer_page.get_by_role("link", name="Ask for a refund").click()
        buyer_page.locator("select[name=reason]").select_option("damaged")
        buyer_page.locator("form.refund-form button[type=submit]").click()
        expect(buyer_page.locator("h1")).to_contain_text("waiting for the seller")

        # when the seller approves from the order page
        seller.goto(f"{live_server.url}/seller/orders/{shop.slug}/{order.pk}/")
        seller.locator(".refunds a").first.click()
        seller.get_by_role("button", name="Approve and refund").click()

        # then the buyer's order shows refunded and the balance page changed
        buyer_page.goto(f"{live_server.url}/orders/{order.pk}/")
        expect(buyer_page.locator("h1")).to_contain_text("closed")
        expect(buyer_page.locator(".refunds")).to_contain_text("refunded")
        seller.goto(f"{live_server.url}/seller/balance/{shop.slug}/")
        after = seller.locator(".card", has_text="Held in escrow").inner_text()
        assert "¥99.00" in before and "¥0.00" in after, (before, after)
        browser.close()
