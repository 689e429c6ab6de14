"""Refunds through WeChat Pay and Alipay end to end, with locally made keys and the providers'
documented answers (provider_fakes): WeChat Pay's PROCESSING ended by its REFUND.* notification
or by the refund query; forged, stale, replayed, duplicated and foreign refund notifications
refused or ignored; Alipay's synchronous refund and its refund query after a crash."""

from __future__ import annotations

import datetime
import json
import time
import urllib.parse
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db.models.functions import Now
from django.test import Client

from villagemarket.core.money import Money
from villagemarket.ledger.models import LedgerTransaction
from villagemarket.orders import services
from villagemarket.orders.models import RefundRequest, ShopOrder
from villagemarket.orders.services import refund_payments
from villagemarket.payments.models import EventKind, Payment, PaymentEvent
from villagemarket.payments.providers import alipay, remote, signing

from .provider_fakes import AlipayServer, configure_alipay, configure_wechatpay, new_rsa_key

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def keys():
    return SimpleNamespace(
        alipay=new_rsa_key(), platform=new_rsa_key(), merchant=new_rsa_key(), stranger=new_rsa_key()
    )


def paid_through(name, payment, deliver):
    Payment.objects.filter(pk=payment.pk).update(provider=name)
    payment.refresh_from_db()
    deliver(payment)
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    return ShopOrder.objects.filter(payment=payment).order_by("pk").first()


def ask_everything_back(buyer, order):
    return services.request_refund(
        buyer=buyer,
        order_id=order.pk,
        amount=Money(order.total_minor, "CNY"),
        reason="changed_mind",
        kind="money_only",
    )


def postings(refund) -> int:
    return LedgerTransaction.objects.filter(reference=f"refund:{refund.pk}").count()


def money_state(refund):
    """Everything a refund notification could change."""
    refund.refresh_from_db()
    order = ShopOrder.objects.get(pk=refund.order_id)
    return refund.status, refund.refunded_at, postings(refund), order.status, order.refunded_minor


def overdue():
    """Every refund being paid has waited past the sweep's grace time."""
    RefundRequest.objects.filter(status="paying").update(
        paying_since=Now() - datetime.timedelta(minutes=10)
    )


# --- WeChat Pay ----------------------------------------------------------------------------------
@pytest.fixture
def wx(keys, settings, tmp_path):
    cache.clear()
    settings.SITE_URL = "https://market.example"
    return configure_wechatpay(
        settings, tmp_path, platform_key=keys.platform, merchant_key=keys.merchant
    )


class WechatPayApi:
    """WeChat Pay's refund endpoints: a refund answers `status`, a query `query_status`."""

    def __init__(self, wx, payment, status="PROCESSING"):
        self.wx, self.payment, self.status, self.query_status = wx, payment, status, None
        self.requests: list[tuple[str, str, bytes]] = []
        self.amounts: dict[str, int] = {}

    def __call__(self, method, url, *, headers, body=b""):
        self.requests.append((method, url, body))
        path = urllib.parse.urlsplit(url).path
        if method == "POST" and path == "/v3/refund/domestic/refunds":
            sent = json.loads(body)
            number, amount = sent["out_refund_no"], sent["amount"]["refund"]
            self.amounts[number] = amount
            content = self.wx.refund_answer(self.payment, number, amount, self.status)
        elif method == "GET" and path.startswith("/v3/refund/domestic/refunds/"):
            number = path.rsplit("/", 1)[1]
            if self.query_status is None:
                return self.wx.answer(
                    {"code": "RESOURCE_NOT_EXISTS", "message": "退款单不存在"},
                    timestamp=int(time.time()),
                    status=404,
                )
            content = self.wx.refund_answer(
                self.payment, number, self.amounts[number], self.query_status
            )
        else:
            raise AssertionError(f"unexpected call {method} {url}")
        return self.wx.answer(content, timestamp=int(time.time()))


def post_wechatpay(body: bytes, headers: dict):
    return Client(enforce_csrf_checks=True).post(
        "/pay/notify/wechatpay/", data=body, content_type="application/json", headers=headers
    )


@pytest.fixture
def wx_refund(wx, buyer, payment, monkeypatch):
    """A WeChat Pay payment, paid; its first order fully refunded, WeChat Pay PROCESSING."""

    def deliver(payment):
        body = wx.notification(wx.transaction(payment))
        assert post_wechatpay(body, wx.headers(body, timestamp=int(time.time()))).status_code == 204

    order = paid_through("wechatpay", payment, deliver)
    api = WechatPayApi(wx, payment)
    monkeypatch.setattr(remote, "send", api)
    refund = ask_everything_back(buyer, order)
    assert refund.status == "paying"
    return SimpleNamespace(refund=refund, order=order, payment=payment, api=api)


def wx_refund_delivery(wx, case, *, key=None, timestamp=None, apiv3_key=None, **change):
    refund = case.refund
    resource = wx.refund(case.payment, refund.provider_refund_no, refund.amount_minor, **change)
    body = wx.refund_notification(resource, apiv3_key=apiv3_key)
    return body, wx.headers(body, timestamp=timestamp or int(time.time()), key=key)


def test_a_wechatpay_refund_asks_with_our_refund_number_and_says_where_to_notify(wx_refund):
    method, url, body = wx_refund.api.requests[-1]
    sent = json.loads(body)

    assert (method, url) == ("POST", "https://api.mch.weixin.qq.com/v3/refund/domestic/refunds")
    assert sent["out_refund_no"] == wx_refund.refund.provider_refund_no
    assert sent["notify_url"] == "https://market.example/pay/notify/wechatpay/"
    assert sent["amount"] == {
        "refund": wx_refund.order.total_minor,
        "total": wx_refund.payment.amount_minor,
        "currency": "CNY",
    }
    assert postings(wx_refund.refund) == 0


def test_processing_then_the_refund_notification_finishes_it_once(wx, wx_refund):
    body, headers = wx_refund_delivery(wx, wx_refund)

    first = post_wechatpay(body, headers)
    refunded = money_state(wx_refund.refund)
    # the same event again, signed afresh as WeChat Pay signs its retries: a replay
    replayed = post_wechatpay(body, wx.headers(body, timestamp=int(time.time())))
    # the same refund reported by another event: a duplicate, answered 2xx so retries stop
    other, other_headers = wx_refund_delivery(wx, wx_refund)
    duplicate = post_wechatpay(other, other_headers)

    assert first.status_code == 204
    assert refunded[0] == "refunded" and refunded[2] == 1
    assert refunded[3:] == ("closed", wx_refund.order.total_minor)
    assert replayed.status_code == 409
    assert duplicate.status_code == 204
    assert money_state(wx_refund.refund) == refunded
    kinds = list(
        PaymentEvent.objects.filter(payment=wx_refund.payment).values_list("kind", flat=True)
    )
    assert kinds[-2:] == [EventKind.NOTIFICATION_RECEIVED, EventKind.DUPLICATE_IGNORED]


@pytest.mark.parametrize(
    "case, status",
    [
        ("forged signature", 403),
        ("stale", 403),
        ("wrong APIv3 key", 400),
        ("wrong mchid", 403),
        ("another amount", 400),
        ("a refund we never asked for", 400),
        ("not a final status", 400),
    ],
)
def test_a_refused_refund_notification_changes_nothing(wx, keys, wx_refund, case, status):
    before = money_state(wx_refund.refund)
    if case == "forged signature":
        body, headers = wx_refund_delivery(wx, wx_refund, key=keys.stranger)
    elif case == "stale":
        body, headers = wx_refund_delivery(wx, wx_refund, timestamp=int(time.time()) - 600)
    elif case == "wrong APIv3 key":
        body, headers = wx_refund_delivery(wx, wx_refund, apiv3_key="Z" * 32)
    elif case == "wrong mchid":
        body, headers = wx_refund_delivery(wx, wx_refund, mchid="1900000999")
    elif case == "another amount":
        body, headers = wx_refund_delivery(
            wx, wx_refund, amount={"total": 1, "refund": 1, "payer_total": 1, "payer_refund": 1}
        )
    elif case == "a refund we never asked for":
        body, headers = wx_refund_delivery(wx, wx_refund, out_refund_no="VMR999999-1")
    else:
        body, headers = wx_refund_delivery(wx, wx_refund, refund_status="PROCESSING")

    answer = post_wechatpay(body, headers)

    assert answer.status_code == status
    assert money_state(wx_refund.refund) == before
    # a genuine one afterwards still works: the refused one took no key
    good, good_headers = wx_refund_delivery(wx, wx_refund)
    assert post_wechatpay(good, good_headers).status_code == 204
    assert money_state(wx_refund.refund)[:3][::2] == ("refunded", 1)


@pytest.mark.parametrize("status", ["ABNORMAL", "CLOSED"])
def test_an_abnormal_or_closed_refund_is_failed_for_the_operator(wx, wx_refund, status):
    body, headers = wx_refund_delivery(wx, wx_refund, refund_status=status)

    answer = post_wechatpay(body, headers)

    assert answer.status_code == 204
    refund = RefundRequest.objects.get(pk=wx_refund.refund.pk)
    assert (refund.status, refund.provider_note) == ("failed", status)
    assert postings(refund) == 0
    assert ShopOrder.objects.get(pk=refund.order_id).refund_claimed_minor == refund.amount_minor


def test_processing_then_the_sweep_finds_it_succeeded_and_a_late_notification_is_a_duplicate(
    wx, wx_refund
):
    wx_refund.api.query_status = "SUCCESS"
    overdue()

    assert services.sweep_refund_payments() == 1

    refunded = money_state(wx_refund.refund)
    assert refunded[0] == "refunded" and refunded[2] == 1
    method, url, _body = wx_refund.api.requests[-1]
    assert (method, url.rsplit("/", 1)[1]) == ("GET", wx_refund.refund.provider_refund_no)
    body, headers = wx_refund_delivery(wx, wx_refund)
    late = post_wechatpay(body, headers)
    assert late.status_code == 204 and money_state(wx_refund.refund) == refunded


def test_the_sweep_asks_again_with_the_same_number_when_wechatpay_never_heard_of_it(wx, wx_refund):
    wx_refund.api.status = "SUCCESS"  # the query answers RESOURCE_NOT_EXISTS (query_status None)
    overdue()

    assert services.sweep_refund_payments() == 1

    posts = [json.loads(body) for method, _url, body in wx_refund.api.requests if method == "POST"]
    numbers = [sent["out_refund_no"] for sent in posts if "out_refund_no" in sent]
    assert numbers == [wx_refund.refund.provider_refund_no] * 2
    assert money_state(wx_refund.refund)[0] == "refunded"


# --- Alipay ---------------------------------------------------------------------------------------
@pytest.fixture
def ali(keys, settings, tmp_path):
    cache.clear()
    settings.SITE_URL = "https://market.example"
    return configure_alipay(settings, tmp_path, alipay_key=keys.alipay, merchant_key=keys.merchant)


class AlipayGateway:
    """Alipay's gateway: alipay.trade.refund answers 10000 (or `refund_code`), the refund query
    returns the refund once it was made (or nothing, when `made` is False)."""

    def __init__(self, ali, payment):
        self.ali, self.payment, self.made = ali, payment, False
        self.requests: list[dict[str, str]] = []

    def __call__(self, method, url, *, headers, body=b""):
        params = dict(urllib.parse.parse_qsl(body.decode()))
        self.requests.append(params)
        biz = json.loads(params["biz_content"])
        if params["method"] == alipay.REFUND:
            self.made, self.amount = True, biz["refund_amount"]
            content = {
                "code": "10000",
                "msg": "Success",
                "trade_no": "2026120122001400001",
                "out_trade_no": biz["out_trade_no"],
                "refund_fee": biz["refund_amount"],
                "fund_change": "Y",
            }
        elif params["method"] == alipay.REFUND_QUERY:
            content = {"code": "10000", "msg": "Success"}
            if self.made:
                content |= {
                    "trade_no": "2026120122001400001",
                    "out_trade_no": biz["out_trade_no"],
                    "out_request_no": biz["out_request_no"],
                    "total_amount": f"{self.payment.amount.amount:.2f}",
                    "refund_amount": self.amount,
                    "refund_status": "REFUND_SUCCESS",
                }
        else:
            raise AssertionError(params["method"])
        return self.ali.response(params["method"], content)


@pytest.fixture
def ali_paid(ali, payment, monkeypatch):
    def deliver(payment):
        response = Client(enforce_csrf_checks=True).post(
            "/pay/notify/alipay/",
            data=AlipayServer.form(ali.notification(payment)),
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200

    order = paid_through("alipay", payment, deliver)
    gateway = AlipayGateway(ali, payment)
    monkeypatch.setattr(remote, "send", gateway)
    return SimpleNamespace(order=order, payment=payment, gateway=gateway)


def test_an_alipay_refund_is_paid_at_once(buyer, ali_paid):
    refund = ask_everything_back(buyer, ali_paid.order)

    assert refund.status == "refunded" and postings(refund) == 1
    sent = json.loads(ali_paid.gateway.requests[-1]["biz_content"])
    assert sent["out_request_no"] == refund.provider_refund_no
    assert sent["refund_amount"] == f"{ali_paid.order.total.amount:.2f}"


def test_after_a_crash_the_alipay_refund_query_finishes_it_exactly_once(
    buyer, keys, ali_paid, monkeypatch
):
    # given the process died after Alipay refunded, before the money was posted here
    finish = refund_payments.finish_refund

    def crash(refund_id):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(refund_payments, "finish_refund", crash)
    with pytest.raises(RuntimeError):
        ask_everything_back(buyer, ali_paid.order)
    monkeypatch.setattr(refund_payments, "finish_refund", finish)
    refund = RefundRequest.objects.get()
    overdue()
    # when the sweep asks Alipay
    assert services.sweep_refund_payments() == 1
    assert services.sweep_refund_payments() == 0
    # then it asked with a signed alipay.trade.fastpay.refund.query, and posted once
    query = ali_paid.gateway.requests[-1]
    assert query["method"] == "alipay.trade.fastpay.refund.query"
    assert json.loads(query["biz_content"])["out_request_no"] == refund.provider_refund_no
    message = alipay.signing_string(query, exclude=("sign",)).encode()
    assert signing.verify(keys.merchant.public_key(), message, query["sign"])
    assert money_state(refund)[:3:2] == ("refunded", 1)
    assert [p["method"] for p in ali_paid.gateway.requests] == [
        alipay.REFUND,
        alipay.REFUND_QUERY,
    ]


def test_a_refund_alipay_never_made_is_asked_again_with_the_same_number(
    buyer, ali_paid, monkeypatch
):
    # given the request never reached Alipay
    gateway = ali_paid.gateway

    def unreachable(method, url, *, headers, body=b""):
        raise remote.ProviderError("unreachable", "no route to the gateway")

    monkeypatch.setattr(remote, "send", unreachable)
    refund = ask_everything_back(buyer, ali_paid.order)
    assert refund.status == "paying"
    # when the sweep asks: the query finds nothing, so the refund is asked for again
    monkeypatch.setattr(remote, "send", gateway)
    overdue()
    assert services.sweep_refund_payments() == 1

    methods = [p["method"] for p in gateway.requests]
    assert methods == [alipay.REFUND_QUERY, alipay.REFUND]
    assert json.loads(gateway.requests[-1]["biz_content"])["out_request_no"] == (
        refund.provider_refund_no
    )
    assert money_state(refund)[:3:2] == ("refunded", 1)
