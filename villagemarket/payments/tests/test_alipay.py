"""Alipay RSA2: signed payment URLs, notifications verified as Alipay specifies, refund and
query answers checked, all with keys made here and no network."""

from __future__ import annotations

import datetime
import json
import urllib.parse
import uuid
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from villagemarket.core.money import Money
from villagemarket.payments.providers import NotificationRefused, alipay, remote, signing
from villagemarket.payments.providers.remote import BEIJING, ProviderError, RemoteResponse

from .provider_fakes import AlipayServer, configure_alipay, new_rsa_key

NOW = datetime.datetime(2026, 12, 1, 20, 0, 0, tzinfo=BEIJING)


@pytest.fixture(scope="module")
def keys():
    return SimpleNamespace(alipay=new_rsa_key(), merchant=new_rsa_key(), stranger=new_rsa_key())


@pytest.fixture
def server(keys, settings, tmp_path):
    """Alipay configured for this site, with locally made keys."""
    cache.clear()
    return configure_alipay(settings, tmp_path, alipay_key=keys.alipay, merchant_key=keys.merchant)


@pytest.fixture
def payment():
    """A payment as the provider sees it (no database needed to sign and verify)."""
    return SimpleNamespace(
        public_id=uuid.uuid4(),
        amount=Money(59900),
        amount_minor=59900,
        currency="CNY",
        description="2 orders",
    )


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to reach the network")

    monkeypatch.setattr(remote, "send", refuse)


def verify(server, params, *, now=NOW):
    return alipay.verify_notification(alipay.config(), server.form(params), now=now.timestamp())


def refusal(server, params, *, now=NOW, charset="utf-8") -> tuple[str, int]:
    with pytest.raises(NotificationRefused) as refused:
        alipay.verify_notification(
            alipay.config(), server.form(params, charset=charset), now=now.timestamp()
        )
    return refused.value.reason, refused.value.status


# --- signing string --------------------------------------------------------------------------
def test_the_signing_string_sorts_names_skips_empty_values_and_leaves_values_unencoded():
    params = {"b": "2", "a": "x y&z", "sign": "S", "sign_type": "RSA2", "c": "", "d": "中"}
    assert alipay.signing_string(params, exclude=("sign",)) == "a=x y&z&b=2&d=中&sign_type=RSA2"
    assert alipay.signing_string(params, exclude=("sign", "sign_type")) == "a=x y&z&b=2&d=中"


# --- payment URLs ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "mobile, method, product",
    [
        (False, "alipay.trade.page.pay", "FAST_INSTANT_TRADE_PAY"),
        (True, "alipay.trade.wap.pay", "QUICK_WAP_WAY"),
    ],
)
def test_the_buyer_is_sent_to_the_gateway_with_a_request_alipay_can_verify(
    server, payment, keys, mobile, method, product
):
    url = alipay.payment_url(
        alipay.config(),
        payment,
        notify_url="https://market.example/pay/notify/alipay/",
        return_url="https://market.example/pay/x/return/",
        mobile=mobile,
        now=NOW.timestamp(),
    )

    gateway, _, query = url.partition("?")
    params = dict(urllib.parse.parse_qsl(query))
    assert gateway == "https://openapi-sandbox.dl.alipaydev.com/gateway.do"
    assert params["method"] == method and params["sign_type"] == "RSA2"
    assert params["app_id"] == server.app_id and params["charset"] == "utf-8"
    assert params["timestamp"] == "2026-12-01 20:00:00"  # Beijing time, as Alipay reads it
    assert params["notify_url"] == "https://market.example/pay/notify/alipay/"
    biz = json.loads(params["biz_content"])
    assert biz["out_trade_no"] == payment.public_id.hex
    assert (biz["total_amount"], biz["product_code"]) == ("599.00", product)
    # Alipay checks the request with the merchant's public key over every parameter but sign.
    message = alipay.signing_string(params, exclude=("sign",)).encode()
    assert signing.verify(keys.merchant.public_key(), message, params["sign"])


def test_amounts_are_yuan_with_two_decimals_and_only_in_cny():
    assert alipay.yuan(Money(5)) == "0.05"
    assert alipay.yuan(Money(123456789)) == "1234567.89"
    with pytest.raises(ProviderError):
        alipay.yuan(Money(100, "USD"))


# --- notifications ---------------------------------------------------------------------------
def test_a_genuine_notification_is_read(server, payment):
    params = server.notification(payment, now=NOW)

    notification = verify(server, params)

    assert notification.payment_id == payment.public_id
    assert (notification.outcome, notification.amount_minor, notification.currency) == (
        "succeeded",
        59900,
        "CNY",
    )
    assert notification.trade_no == params["trade_no"]
    assert notification.delivery_id == params["notify_id"]
    assert notification.key == f"alipay:{params['trade_no']}:succeeded"


def test_trade_finished_also_means_paid_and_trade_closed_means_failed(server, payment):
    finished = server.notification(payment, now=NOW, trade_status="TRADE_FINISHED")
    closed = server.notification(payment, now=NOW, trade_status="TRADE_CLOSED")
    assert verify(server, finished).outcome == "succeeded"
    assert verify(server, closed).outcome == "failed"


def test_a_notification_in_gbk_is_verified_over_its_gbk_bytes(server, payment, keys):
    params = server.notification(payment, now=NOW, charset="gbk", subject="丁楼村 羽绒服")
    body = server.form(params, charset="gbk")

    notification = alipay.verify_notification(alipay.config(), body, now=NOW.timestamp())

    assert notification.amount_minor == 59900
    # The same text signed as UTF-8 bytes is not what Alipay signs for a GBK notification.
    as_utf8 = alipay.signing_string(params, exclude=("sign", "sign_type")).encode("utf-8")
    wrong = {**params, "sign": signing.sign(keys.alipay, as_utf8)}
    assert refusal(server, wrong, charset="gbk") == ("bad_signature", 403)


def test_a_notification_signed_with_another_key_is_refused(server, payment, keys):
    forger = AlipayServer(key=keys.stranger, merchant_key=keys.merchant)
    assert refusal(server, forger.notification(payment, now=NOW)) == ("bad_signature", 403)


@pytest.mark.parametrize(
    "field, value",
    [
        ("total_amount", "0.01"),
        ("out_trade_no", uuid.uuid4().hex),
        ("trade_status", "TRADE_SUCCESS "),
        ("seller_id", "2088999999999999"),
    ],
)
def test_a_field_changed_after_signing_is_refused(server, payment, field, value):
    params = server.notification(payment, now=NOW)
    params[field] = value
    assert refusal(server, params) == ("bad_signature", 403)


@pytest.mark.parametrize(
    "change, reason, status",
    [
        ({"app_id": "2021999999999999"}, "wrong_app", 403),
        ({"seller_id": "2088999999999999"}, "wrong_seller", 403),
        ({"trade_status": "WAIT_BUYER_PAY"}, "unexpected_status", 400),
        ({"total_amount": "1e3"}, "malformed", 400),
        ({"out_trade_no": "not-ours"}, "malformed", 400),
        ({"notify_time": "yesterday"}, "bad_timestamp", 403),
    ],
)
def test_a_genuinely_signed_notification_that_is_not_for_us_is_refused(
    server, payment, change, reason, status
):
    assert refusal(server, server.notification(payment, now=NOW, **change)) == (reason, status)


@pytest.mark.parametrize(
    "sent",
    [
        NOW - datetime.timedelta(hours=26),
        NOW - datetime.timedelta(days=30),
        NOW + datetime.timedelta(minutes=6),
    ],
)
def test_a_notification_outside_alipays_retry_window_is_stale(server, payment, sent):
    assert refusal(server, server.notification(payment, now=sent)) == ("stale", 403)


def test_a_late_genuine_retry_inside_the_window_is_still_read(server, payment):
    sent = NOW - datetime.timedelta(hours=25)
    assert verify(server, server.notification(payment, now=sent)).outcome == "succeeded"


@pytest.mark.parametrize("remove", ["sign", "sign_type"])
def test_an_unsigned_notification_is_refused(server, payment, remove):
    params = server.notification(payment, now=NOW)
    del params[remove]
    assert refusal(server, params) == ("unsigned", 403)


def test_an_rsa1_or_md5_signature_type_is_refused(server, payment):
    params = server.notification(payment, now=NOW)
    params["sign_type"] = "RSA"
    assert refusal(server, params) == ("unsigned", 403)


def test_a_notify_id_already_acted_on_is_a_replay(server, payment):
    params = server.notification(payment, now=NOW)
    alipay.AlipayProvider().remember(verify(server, params))

    assert refusal(server, params) == ("replayed", 409)


def test_a_body_that_is_not_a_form_is_refused(server):
    with pytest.raises(NotificationRefused) as refused:
        alipay.verify_notification(alipay.config(), "中文".encode(), now=NOW.timestamp())
    assert refused.value.reason == "malformed"


# --- refund and query --------------------------------------------------------------------------
class Gateway:
    """Stands in for remote.send: records the request and answers what the test prepared."""

    def __init__(self, answer: RemoteResponse):
        self.answer, self.requests = answer, []

    def __call__(self, method, url, *, headers, body=b""):
        self.requests.append((method, url, headers, body))
        return self.answer

    def params(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.requests[-1][3].decode()))


def test_a_refund_is_a_signed_request_and_its_signed_answer_is_read(
    server, payment, keys, monkeypatch
):
    gateway = Gateway(
        server.response(
            "alipay.trade.refund",
            {
                "code": "10000",
                "msg": "Success",
                "trade_no": "2026120122001400001",
                "out_trade_no": payment.public_id.hex,
                "refund_fee": "100.00",
                "fund_change": "Y",
            },
        )
    )
    monkeypatch.setattr(remote, "send", gateway)

    result = alipay.AlipayProvider().refund(
        payment, amount=Money(10000), refund_no="RF-1", reason="质量问题"
    )

    assert (result.status, result.amount_minor, result.refund_no) == ("succeeded", 10000, "RF-1")
    assert result.detail["fund_change"] == "Y"
    method, url, headers, _body = gateway.requests[0]
    params = gateway.params()
    assert (method, params["method"]) == ("POST", "alipay.trade.refund")
    assert json.loads(params["biz_content"]) == {
        "out_trade_no": payment.public_id.hex,
        "refund_amount": "100.00",
        "out_request_no": "RF-1",
        "refund_reason": "质量问题",
    }
    message = alipay.signing_string(params, exclude=("sign",)).encode()
    assert signing.verify(keys.merchant.public_key(), message, params["sign"])


def test_a_refused_refund_is_reported_as_failed(server, payment, monkeypatch):
    answer = {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_HAS_CLOSE"}
    monkeypatch.setattr(remote, "send", Gateway(server.response("alipay.trade.refund", answer)))

    result = alipay.AlipayProvider().refund(payment, amount=Money(100), refund_no="RF-2")

    assert result.status == "failed" and result.detail["sub_code"] == "ACQ.TRADE_HAS_CLOSE"


@pytest.mark.parametrize(
    "trade_status, state",
    [("TRADE_SUCCESS", "paid"), ("WAIT_BUYER_PAY", "awaiting_payment"), ("TRADE_CLOSED", "closed")],
)
def test_a_query_reads_the_trade_state(server, payment, monkeypatch, trade_status, state):
    answer = {
        "code": "10000",
        "msg": "Success",
        "trade_no": "2026120122001400002",
        "out_trade_no": payment.public_id.hex,
        "trade_status": trade_status,
        "total_amount": "599.00",
    }
    monkeypatch.setattr(remote, "send", Gateway(server.response("alipay.trade.query", answer)))

    status = alipay.AlipayProvider().query(payment)

    assert (status.state, status.amount_minor, status.trade_no) == (
        state,
        59900,
        "2026120122001400002",
    )


def test_an_answer_not_signed_by_alipay_is_refused(server, payment, keys, monkeypatch):
    answer = {
        "code": "10000",
        "out_trade_no": payment.public_id.hex,
        "trade_status": "TRADE_SUCCESS",
    }
    forged = server.response("alipay.trade.query", answer, sign_with=keys.stranger)
    monkeypatch.setattr(remote, "send", Gateway(forged))

    with pytest.raises(ProviderError) as error:
        alipay.AlipayProvider().query(payment)
    assert error.value.code == "bad_signature"


def test_an_answer_changed_in_transit_is_refused(server, payment, monkeypatch):
    answer = server.response("alipay.trade.query", {"code": "10000", "total_amount": "599.00"})
    changed = RemoteResponse(200, answer.headers, answer.body.replace(b"599.00", b"0.01"))
    monkeypatch.setattr(remote, "send", Gateway(changed))

    with pytest.raises(ProviderError) as error:
        alipay.AlipayProvider().query(payment)
    assert error.value.code == "bad_signature"


def test_the_signed_text_is_the_response_member_exactly_as_it_arrived():
    text = '{"alipay_trade_query_response" : {"a": "1",  "b": {"c": [1, 2]}} , "sign":"xyz"}'
    assert alipay.response_members(text) == {
        "alipay_trade_query_response": '{"a": "1",  "b": {"c": [1, 2]}}',
        "sign": '"xyz"',
    }


# --- configuration -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "missing",
    ["ALIPAY_APP_ID", "ALIPAY_PRIVATE_KEY_PATH", "ALIPAY_PUBLIC_KEY_PATH", "ALIPAY_SELLER_ID"],
)
def test_alipay_is_configured_only_when_every_setting_is_present(
    server, settings, monkeypatch, missing
):
    assert alipay.AlipayProvider.is_configured()
    setattr(settings, missing, "")
    monkeypatch.delenv(missing, raising=False)

    assert not alipay.AlipayProvider.is_configured()


def test_settings_come_from_the_environment(settings, monkeypatch):
    for name in ("ALIPAY_APP_ID", "ALIPAY_PRIVATE_KEY_PATH", "ALIPAY_PUBLIC_KEY_PATH"):
        if hasattr(settings, name):
            delattr(settings, name)
        monkeypatch.setenv(name, "x")
    monkeypatch.setenv("ALIPAY_SELLER_ID", "2088")
    if hasattr(settings, "ALIPAY_SELLER_ID"):
        delattr(settings, "ALIPAY_SELLER_ID")

    assert alipay.config().seller_id == "2088"


def test_nothing_here_reaches_the_network(no_network, server, payment):
    with pytest.raises(AssertionError, match="network"):
        alipay.AlipayProvider().query(payment)
