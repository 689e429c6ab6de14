"""Alipay and WeChat Pay end to end through this site: the pay page offers the configured
providers, a genuine notification at /pay/notify/<provider>/ marks the payment paid once, and every
forged, stale, replayed, duplicated or foreign one is refused and changes nothing."""

from __future__ import annotations

import datetime
import json
import time
import urllib.parse
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client

from villagemarket.orders.models import ShopOrder
from villagemarket.payments.models import EventKind, Payment, PaymentEvent
from villagemarket.payments.providers import remote
from villagemarket.payments.providers.remote import BEIJING, RemoteResponse
from villagemarket.testing import client_for

from .provider_fakes import AlipayServer, configure_alipay, configure_wechatpay, new_rsa_key

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def keys():
    return SimpleNamespace(
        alipay=new_rsa_key(), platform=new_rsa_key(), merchant=new_rsa_key(), stranger=new_rsa_key()
    )


@pytest.fixture
def ali(keys, settings, tmp_path):
    cache.clear()
    settings.SITE_URL = "https://market.example"
    return configure_alipay(settings, tmp_path, alipay_key=keys.alipay, merchant_key=keys.merchant)


@pytest.fixture
def wx(keys, settings, tmp_path):
    cache.clear()
    settings.SITE_URL = "https://market.example"
    return configure_wechatpay(
        settings, tmp_path, platform_key=keys.platform, merchant_key=keys.merchant
    )


def with_provider(payment, name):
    Payment.objects.filter(pk=payment.pk).update(provider=name)
    payment.refresh_from_db()
    return payment


def state(payment):
    """Everything a notification could change: the payment, its orders, its events."""
    payment.refresh_from_db()
    orders = sorted(ShopOrder.objects.filter(payment=payment).values_list("status", flat=True))
    events = list(PaymentEvent.objects.filter(payment=payment).values_list("kind", flat=True))
    return payment.status, payment.paid_at, payment.needs_refund, orders, events


def post_alipay(params: dict) -> object:
    return Client(enforce_csrf_checks=True).post(
        "/pay/notify/alipay/",
        data=AlipayServer.form(params),
        content_type="application/x-www-form-urlencoded",
    )


def post_wechatpay(body: bytes, headers: dict) -> object:
    return Client(enforce_csrf_checks=True).post(
        "/pay/notify/wechatpay/", data=body, content_type="application/json", headers=headers
    )


# --- Alipay ------------------------------------------------------------------------------------
def test_a_genuine_alipay_notification_marks_the_payment_paid_once(ali, payment):
    payment = with_provider(payment, "alipay")
    params = ali.notification(payment)

    first = post_alipay(params)
    paid = state(payment)
    again = post_alipay(params)

    assert (first.status_code, first.content) == (200, b"success")
    assert paid[0] == "succeeded" and paid[3] == ["awaiting_shipment", "awaiting_shipment"]
    assert payment.provider_trade_no == params["trade_no"]
    # The same notify_id again is a replay: refused, and nothing changes.
    assert (again.status_code, again.content) == (409, b"fail")
    assert state(payment) == paid


def test_trade_finished_after_trade_success_is_a_duplicate_with_no_effect(ali, payment):
    payment = with_provider(payment, "alipay")
    success = ali.notification(payment)
    post_alipay(success)
    paid = state(payment)

    finished = ali.notification(
        payment, trade_no=success["trade_no"], trade_status="TRADE_FINISHED"
    )
    answer = post_alipay(finished)

    assert (answer.status_code, answer.content) == (200, b"success")  # Alipay may stop retrying
    after = state(payment)
    assert after[:4] == paid[:4]
    assert after[4] == [*paid[4], EventKind.DUPLICATE_IGNORED]


def refused_alipay_cases(ali, keys, payment):
    now = datetime.datetime.now(BEIJING)
    forged = AlipayServer(key=keys.stranger, merchant_key=keys.merchant)
    changed = ali.notification(payment)
    changed["total_amount"] = "0.01"
    return {
        "forged signature": (forged.notification(payment), 403),
        "amount changed after signing": (changed, 403),
        "wrong app id": (ali.notification(payment, app_id="2021999999999999"), 403),
        "wrong seller": (ali.notification(payment, seller_id="2088999999999999"), 403),
        "stale": (ali.notification(payment, now=now - datetime.timedelta(hours=30)), 403),
        "not a final status": (ali.notification(payment, trade_status="WAIT_BUYER_PAY"), 400),
    }


@pytest.mark.parametrize(
    "case",
    [
        "forged signature",
        "amount changed after signing",
        "wrong app id",
        "wrong seller",
        "stale",
        "not a final status",
    ],
)
def test_a_refused_alipay_notification_changes_nothing(ali, keys, payment, case):
    payment = with_provider(payment, "alipay")
    before = state(payment)
    params, status = refused_alipay_cases(ali, keys, payment)[case]

    answer = post_alipay(params)

    assert (answer.status_code, answer.content) == (status, b"fail")
    assert state(payment) == before


def test_a_genuinely_signed_notification_for_another_amount_is_rejected_and_recorded(ali, payment):
    payment = with_provider(payment, "alipay")

    answer = post_alipay(ali.notification(payment, total_amount="0.01"))

    assert (answer.status_code, answer.content) == (400, b"fail")
    status, paid_at, _refund, orders, events = state(payment)
    assert (status, paid_at, orders) == ("pending", None, ["awaiting_payment"] * 2)
    assert events == [EventKind.CREATED, EventKind.REJECTED]


def test_alipay_notifications_are_refused_when_alipay_is_not_configured(ali, payment, settings):
    payment = with_provider(payment, "alipay")
    params = ali.notification(payment)
    settings.ALIPAY_APP_ID = ""

    assert post_alipay(params).status_code == 404
    assert state(payment)[0] == "pending"


# --- WeChat Pay --------------------------------------------------------------------------------
def wx_delivery(wx, payment, *, key=None, timestamp=None, **change):
    body = wx.notification(wx.transaction(payment, **change))
    return body, wx.headers(body, timestamp=timestamp or int(time.time()), key=key)


def test_a_genuine_wechatpay_notification_marks_the_payment_paid_once(wx, payment):
    payment = with_provider(payment, "wechatpay")
    body, headers = wx_delivery(wx, payment)

    first = post_wechatpay(body, headers)
    paid = state(payment)
    # A replay re-signed just now (as WeChat Pay signs its retries) is still the same event.
    again = post_wechatpay(body, wx.headers(body, timestamp=int(time.time())))

    assert (first.status_code, first.content) == (204, b"")
    assert paid[0] == "succeeded" and paid[3] == ["awaiting_shipment", "awaiting_shipment"]
    assert again.status_code == 409 and json.loads(again.content)["code"] == "FAIL"
    assert state(payment) == paid


def test_a_second_event_for_the_same_transaction_is_a_duplicate(wx, payment):
    payment = with_provider(payment, "wechatpay")
    tx = wx.transaction(payment)
    body = wx.notification(tx)
    post_wechatpay(body, wx.headers(body, timestamp=int(time.time())))
    paid = state(payment)

    other_event = wx.notification(tx)  # a new event id, the same transaction
    answer = post_wechatpay(other_event, wx.headers(other_event, timestamp=int(time.time())))

    assert answer.status_code == 204
    assert state(payment)[:4] == paid[:4]
    assert state(payment)[4][-1] == EventKind.DUPLICATE_IGNORED


@pytest.mark.parametrize(
    "case, status",
    [
        ("forged signature", 403),
        ("stale", 403),
        ("wrong mchid", 403),
        ("wrong appid", 403),
        ("wrong APIv3 key", 400),
        ("another amount", 400),
    ],
)
def test_a_refused_wechatpay_notification_changes_nothing(wx, keys, payment, case, status):
    payment = with_provider(payment, "wechatpay")
    before = state(payment)
    if case == "forged signature":
        body, headers = wx_delivery(wx, payment, key=keys.stranger)
    elif case == "stale":
        body, headers = wx_delivery(wx, payment, timestamp=int(time.time()) - 600)
    elif case == "wrong mchid":
        body, headers = wx_delivery(wx, payment, mchid="1900000999")
    elif case == "wrong appid":
        body, headers = wx_delivery(wx, payment, appid="wx0000000000000000")
    elif case == "wrong APIv3 key":
        body = wx.notification(wx.transaction(payment), apiv3_key="Z" * 32)
        headers = wx.headers(body, timestamp=int(time.time()))
    else:
        body, headers = wx_delivery(
            wx, payment, amount={"total": 1, "currency": "CNY", "payer_total": 1}
        )

    answer = post_wechatpay(body, headers)

    assert answer.status_code == status
    after = state(payment)
    assert after[:4] == before[:4]
    if case == "another amount":  # verified, so recorded as rejected; still nothing moved
        assert after[4] == [*before[4], EventKind.REJECTED]
    else:
        assert after[4] == before[4]


# --- the pay page as a cashier -------------------------------------------------------------------
def test_the_pay_page_offers_every_configured_provider(ali, wx, buyer, payment):
    page = client_for(buyer).get(f"/pay/{payment.public_id}/")

    assert page.status_code == 200
    for label in ("Alipay", "WeChat Pay", "Sandbox"):
        assert label in page.text


def test_only_configured_providers_are_offered(ali, buyer, payment):
    page = client_for(buyer).get(f"/pay/{payment.public_id}/")

    assert "Alipay" in page.text and "WeChat Pay" not in page.text


def test_choosing_alipay_sends_the_buyer_to_a_signed_gateway_url(ali, buyer, payment):
    answer = client_for(buyer).post(f"/pay/{payment.public_id}/", {"provider": "alipay"})

    assert answer.status_code == 302
    url = answer["Location"]
    assert url.startswith("https://openapi-sandbox.dl.alipaydev.com/gateway.do?")
    params = dict(urllib.parse.parse_qsl(url.partition("?")[2]))
    assert params["notify_url"] == "https://market.example/pay/notify/alipay/"
    assert params["return_url"] == f"https://market.example/pay/{payment.public_id}/return/"
    payment.refresh_from_db()
    assert payment.provider == "alipay"
    assert PaymentEvent.objects.filter(
        payment=payment, kind=EventKind.STARTED, provider="alipay"
    ).exists()


def test_a_phone_is_sent_to_mobile_web_payment(ali, buyer, payment):
    answer = client_for(buyer).post(
        f"/pay/{payment.public_id}/",
        {"provider": "alipay"},
        headers={"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile/15E148"},
    )

    params = dict(urllib.parse.parse_qsl(answer["Location"].partition("?")[2]))
    assert params["method"] == "alipay.trade.wap.pay"


def test_choosing_wechatpay_places_an_h5_order_and_sends_the_buyer_there(
    wx, buyer, payment, monkeypatch
):
    h5 = "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx1&package=1"
    sent = []

    def api(method, url, *, headers, body=b""):
        sent.append(json.loads(body))
        return wx.answer({"h5_url": h5}, timestamp=int(time.time()))

    monkeypatch.setattr(remote, "send", api)

    answer = client_for(buyer).post(f"/pay/{payment.public_id}/", {"provider": "wechatpay"})

    assert answer.status_code == 302 and answer["Location"].startswith(h5 + "&redirect_url=")
    assert sent[0]["notify_url"] == "https://market.example/pay/notify/wechatpay/"
    assert sent[0]["amount"] == {"total": payment.amount_minor, "currency": "CNY"}


def test_once_sent_to_a_provider_the_payment_stays_with_it(ali, wx, buyer, payment):
    client = client_for(buyer)
    client.post(f"/pay/{payment.public_id}/", {"provider": "alipay"})

    answer = client.post(f"/pay/{payment.public_id}/", {"provider": "sandbox"})

    assert answer.status_code == 409
    assert Payment.objects.get(pk=payment.pk).provider == "alipay"


def test_a_provider_that_is_not_offered_is_refused(buyer, payment):
    answer = client_for(buyer).post(f"/pay/{payment.public_id}/", {"provider": "alipay"})

    assert answer.status_code == 422
    assert Payment.objects.get(pk=payment.pk).provider == "sandbox"


@pytest.mark.parametrize("who", ["anonymous", "alice"])
def test_nobody_else_chooses_for_the_buyer(ali, alice, payment, who):
    client = Client() if who == "anonymous" else client_for(alice)

    answer = client.post(f"/pay/{payment.public_id}/", {"provider": "alipay"})

    assert answer.status_code in (302, 404)
    assert "alipay" not in answer.get("Location", "")
    assert Payment.objects.get(pk=payment.pk).provider == "sandbox"


def test_an_unreachable_provider_leaves_the_buyer_on_the_pay_page(wx, buyer, payment, monkeypatch):
    def down(*args, **kwargs):
        raise remote.ProviderError("unreachable", "no route")

    monkeypatch.setattr(remote, "send", down)

    answer = client_for(buyer).post(f"/pay/{payment.public_id}/", {"provider": "wechatpay"})

    assert answer.status_code == 409
    assert "could not be reached" in answer.text
    assert not PaymentEvent.objects.filter(payment=payment, kind=EventKind.STARTED).exists()


def test_wechatpay_answers_are_checked_before_the_buyer_is_sent_anywhere(
    wx, keys, buyer, payment, monkeypatch
):
    body = json.dumps({"h5_url": "https://evil.example/"}).encode()
    headers = {
        k.lower(): v
        for k, v in wx.headers(body, timestamp=int(time.time()), key=keys.stranger).items()
    }
    monkeypatch.setattr(remote, "send", lambda *a, **k: RemoteResponse(200, headers, body))

    answer = client_for(buyer).post(f"/pay/{payment.public_id}/", {"provider": "wechatpay"})

    assert answer.status_code == 409 and "evil" not in answer.get("Location", "")
