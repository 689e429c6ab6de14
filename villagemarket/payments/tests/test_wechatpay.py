"""WeChat Pay API v3: signed requests, notifications checked against the platform certificate
and decrypted with the APIv3 key, refund and query answers verified; locally made keys only."""

from __future__ import annotations

import base64
import json
import time
import uuid
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from villagemarket.core.money import Money
from villagemarket.payments.providers import NotificationRefused, remote, signing, wechatpay
from villagemarket.payments.providers.remote import ProviderError, RemoteResponse

from .provider_fakes import configure_wechatpay, new_rsa_key, write_public_key


@pytest.fixture(scope="module")
def keys():
    return SimpleNamespace(platform=new_rsa_key(), merchant=new_rsa_key(), stranger=new_rsa_key())


@pytest.fixture
def server(keys, settings, tmp_path):
    """WeChat Pay configured for this site, with locally made keys and platform certificate."""
    cache.clear()
    return configure_wechatpay(
        settings, tmp_path, platform_key=keys.platform, merchant_key=keys.merchant
    )


@pytest.fixture
def payment():
    return SimpleNamespace(
        public_id=uuid.uuid4(),
        amount=Money(12345),
        amount_minor=12345,
        currency="CNY",
        description="",
    )


def verify(server, body, headers=None, *, now=None):
    now = time.time() if now is None else now
    headers = headers or server.headers(body, timestamp=int(now))
    return wechatpay.verify_notification(wechatpay.config(), headers, body, now=now)


def refusal(server, body, headers=None, *, now=None) -> tuple[str, int]:
    with pytest.raises(NotificationRefused) as refused:
        verify(server, body, headers, now=now)
    return refused.value.reason, refused.value.status


# --- requests ------------------------------------------------------------------------------
def test_the_authorization_header_signs_method_path_timestamp_nonce_and_body(server, keys):
    body = '{"mchid":"1900000001"}'
    header = wechatpay.authorization(
        wechatpay.config(),
        "POST",
        "/v3/pay/transactions/h5",
        body,
        timestamp=1554208460,
        nonce="N1",
    )

    scheme, _, fields = header.partition(" ")
    parts = dict(part.split("=", 1) for part in fields.split(","))
    parts = {k: v.strip('"') for k, v in parts.items()}
    assert scheme == "WECHATPAY2-SHA256-RSA2048"
    assert (parts["mchid"], parts["nonce_str"], parts["timestamp"]) == (
        "1900000001",
        "N1",
        "1554208460",
    )
    assert parts["serial_no"] == "3775B6A45ACD588826D15E583A95F5DD"
    message = f"POST\n/v3/pay/transactions/h5\n1554208460\nN1\n{body}\n".encode()
    assert signing.verify(keys.merchant.public_key(), message, parts["signature"])


class Api:
    """Stands in for remote.send: records requests, answers what the test prepared."""

    def __init__(self, answer: RemoteResponse):
        self.answer, self.requests = answer, []

    def __call__(self, method, url, *, headers, body=b""):
        self.requests.append(SimpleNamespace(method=method, url=url, headers=headers, body=body))
        return self.answer


def test_an_h5_order_is_signed_and_sends_the_buyer_to_the_h5_url(
    server, payment, keys, monkeypatch
):
    api = Api(
        server.answer(
            {"h5_url": "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx1"},
            timestamp=int(time.time()),
        )
    )
    monkeypatch.setattr(remote, "send", api)

    url = wechatpay.h5_order(
        wechatpay.config(),
        payment,
        notify_url="https://market.example/pay/notify/wechatpay/",
        client_ip="203.0.113.9",
    )

    assert url.startswith("https://wx.tenpay.com/")
    request = api.requests[0]
    assert (request.method, request.url) == (
        "POST",
        "https://api.mch.weixin.qq.com/v3/pay/transactions/h5",
    )
    order = json.loads(request.body)
    assert order["amount"] == {"total": 12345, "currency": "CNY"}
    assert order["out_trade_no"] == payment.public_id.hex and order["appid"] == server.appid
    assert order["scene_info"]["payer_client_ip"] == "203.0.113.9"
    fields = dict(
        p.split("=", 1) for p in request.headers["Authorization"].split(" ", 1)[1].split(",")
    )
    fields = {k: v.strip('"') for k, v in fields.items()}
    message = (
        f"POST\n/v3/pay/transactions/h5\n{fields['timestamp']}\n{fields['nonce_str']}\n".encode()
        + request.body
        + b"\n"
    )
    assert signing.verify(keys.merchant.public_key(), message, fields["signature"])


def test_a_jsapi_order_returns_the_signed_parameters_for_the_wechat_bridge(
    server, payment, keys, monkeypatch
):
    monkeypatch.setattr(
        remote,
        "send",
        Api(
            server.answer(
                {"prepay_id": "wx201410272009395522657a690389285100"}, timestamp=int(time.time())
            )
        ),
    )

    bridge = wechatpay.jsapi_order(
        wechatpay.config(), payment, notify_url="https://market.example/n/", openid="oUpF8uMuAJO"
    )

    assert bridge["package"] == "prepay_id=wx201410272009395522657a690389285100"
    lines = [server.appid, bridge["timeStamp"], bridge["nonceStr"], bridge["package"]]
    message = "".join(f"{line}\n" for line in lines).encode()
    assert signing.verify(keys.merchant.public_key(), message, bridge["paySign"])


# --- notifications ---------------------------------------------------------------------------
def test_a_genuine_notification_is_decrypted_and_read(server, payment):
    tx = server.transaction(payment)
    body = server.notification(tx, event_id="EV-2018022511223320873")

    notification = verify(server, body)

    assert notification.payment_id == payment.public_id
    assert (notification.outcome, notification.amount_minor, notification.currency) == (
        "succeeded",
        12345,
        "CNY",
    )
    assert notification.trade_no == tx["transaction_id"]
    assert notification.delivery_id == "EV-2018022511223320873"


def test_a_notification_signed_with_another_key_is_refused(server, payment, keys):
    body = server.notification(server.transaction(payment))
    headers = server.headers(body, timestamp=int(time.time()), key=keys.stranger)
    assert refusal(server, body, headers) == ("bad_signature", 403)


def test_a_body_changed_after_signing_is_refused(server, payment):
    body = server.notification(server.transaction(payment))
    headers = server.headers(body, timestamp=int(time.time()))
    changed = body.replace(b'"summary"', b'"Summary"')
    assert refusal(server, changed, headers) == ("bad_signature", 403)


def test_a_signature_naming_another_platform_certificate_is_refused(server, payment):
    body = server.notification(server.transaction(payment))
    headers = server.headers(
        body, timestamp=int(time.time()), serial="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"
    )
    assert refusal(server, body, headers) == ("unknown_serial", 403)


@pytest.mark.parametrize("offset", [-301, 301, -86400])
def test_a_timestamp_more_than_five_minutes_away_is_stale(server, payment, offset):
    now = time.time()
    body = server.notification(server.transaction(payment))
    headers = server.headers(body, timestamp=int(now) + offset)
    assert refusal(server, body, headers, now=now) == ("stale", 403)


@pytest.mark.parametrize(
    "missing", ["Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature", "Wechatpay-Serial"]
)
def test_a_notification_without_a_signature_header_is_refused(server, payment, missing):
    body = server.notification(server.transaction(payment))
    headers = server.headers(body, timestamp=int(time.time()))
    del headers[missing]
    assert refusal(server, body, headers) == ("unsigned", 403)


def test_a_resource_encrypted_with_another_key_does_not_open(server, payment):
    body = server.notification(server.transaction(payment), apiv3_key="Z" * 32)
    assert refusal(server, body) == ("undecryptable", 400)


def test_a_resource_whose_ciphertext_was_changed_does_not_open(server, payment):
    event = json.loads(server.notification(server.transaction(payment)))
    raw = bytearray(base64.b64decode(event["resource"]["ciphertext"]))
    raw[0] ^= 1
    event["resource"]["ciphertext"] = base64.b64encode(bytes(raw)).decode()
    assert refusal(server, json.dumps(event).encode()) == ("undecryptable", 400)


def test_associated_data_is_part_of_the_authentication(server, payment):
    event = json.loads(server.notification(server.transaction(payment)))
    event["resource"]["associated_data"] = "refund"
    assert refusal(server, json.dumps(event).encode()) == ("undecryptable", 400)


@pytest.mark.parametrize(
    "change, reason, status",
    [
        ({"appid": "wx0000000000000000"}, "wrong_app", 403),
        ({"mchid": "1900000999"}, "wrong_merchant", 403),
        ({"trade_state": "NOTPAY"}, "unexpected_status", 400),
        ({"amount": {"total": "12345", "currency": "CNY"}}, "malformed", 400),
        ({"amount": {"total": True, "currency": "CNY"}}, "malformed", 400),
        ({"out_trade_no": "SOMEONE-ELSES"}, "malformed", 400),
    ],
)
def test_a_genuine_notification_that_is_not_for_us_is_refused(
    server, payment, change, reason, status
):
    body = server.notification(server.transaction(payment, **change))
    assert refusal(server, body) == (reason, status)


def test_a_closed_trade_is_a_failed_attempt(server, payment):
    body = server.notification(server.transaction(payment, trade_state="CLOSED"))
    assert verify(server, body).outcome == "failed"


def test_an_event_id_already_acted_on_is_a_replay(server, payment):
    body = server.notification(server.transaction(payment))
    wechatpay.WechatPayProvider().remember(verify(server, body))

    # WeChat Pay signs every retry afresh: a fresh signature does not make it a new event.
    assert refusal(server, body) == ("replayed", 409)


# --- refund and query ------------------------------------------------------------------------
def test_a_refund_sends_the_amounts_in_fen_and_reads_the_status(server, payment, monkeypatch):
    api = Api(
        server.answer(
            {
                "refund_id": "50000000382019052709732678859",
                "out_refund_no": "RF-1",
                "status": "PROCESSING",
                "channel": "ORIGINAL",
            },
            timestamp=int(time.time()),
        )
    )
    monkeypatch.setattr(remote, "send", api)

    result = wechatpay.WechatPayProvider().refund(
        payment, amount=Money(345), refund_no="RF-1", reason="少发一件"
    )

    assert (result.status, result.amount_minor, result.provider_refund_id) == (
        "processing",
        345,
        "50000000382019052709732678859",
    )
    sent = json.loads(api.requests[0].body)
    assert api.requests[0].url.endswith("/v3/refund/domestic/refunds")
    assert sent == {
        "out_trade_no": payment.public_id.hex,
        "out_refund_no": "RF-1",
        "amount": {"refund": 345, "total": 12345, "currency": "CNY"},
        "reason": "少发一件",
        # where WeChat Pay tells how a PROCESSING refund ended: the notification endpoint
        "notify_url": "http://127.0.0.1:8000/pay/notify/wechatpay/",
    }


@pytest.mark.parametrize(
    "state, expected",
    [
        ("SUCCESS", "paid"),
        ("NOTPAY", "awaiting_payment"),
        ("CLOSED", "closed"),
        ("REFUND", "refunded"),
    ],
)
def test_a_query_reads_the_trade_state(server, payment, monkeypatch, state, expected):
    answer = server.transaction(payment, trade_state=state)
    api = Api(server.answer(answer, timestamp=int(time.time())))
    monkeypatch.setattr(remote, "send", api)

    status = wechatpay.WechatPayProvider().query(payment)

    assert (status.state, status.amount_minor) == (expected, 12345)
    assert api.requests[0].method == "GET"
    assert api.requests[0].url.endswith(
        f"/v3/pay/transactions/out-trade-no/{payment.public_id.hex}?mchid=1900000001"
    )


def test_an_answer_not_signed_by_the_platform_is_refused(server, payment, keys, monkeypatch):
    body = json.dumps(server.transaction(payment)).encode()
    headers = {
        k.lower(): v
        for k, v in server.headers(body, timestamp=int(time.time()), key=keys.stranger).items()
    }
    monkeypatch.setattr(remote, "send", Api(RemoteResponse(200, headers, body)))

    with pytest.raises(ProviderError) as error:
        wechatpay.WechatPayProvider().query(payment)
    assert error.value.code == "bad_signature"


def test_an_error_answer_is_a_provider_error_with_its_code(server, payment, monkeypatch):
    answer = server.answer(
        {"code": "NOT_ENOUGH", "message": "基本账户余额不足"},
        timestamp=int(time.time()),
        status=403,
    )
    monkeypatch.setattr(remote, "send", Api(answer))

    with pytest.raises(ProviderError) as error:
        wechatpay.WechatPayProvider().refund(payment, amount=Money(1), refund_no="RF-9")
    assert error.value.code == "NOT_ENOUGH"


# --- configuration ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "missing",
    [
        "WECHATPAY_APPID",
        "WECHATPAY_MCHID",
        "WECHATPAY_MERCHANT_SERIAL",
        "WECHATPAY_PRIVATE_KEY_PATH",
        "WECHATPAY_APIV3_KEY",
        "WECHATPAY_PLATFORM_CERT_PATH",
    ],
)
def test_wechat_pay_is_configured_only_when_every_setting_is_present(
    server, settings, monkeypatch, missing
):
    assert wechatpay.WechatPayProvider.is_configured()
    setattr(settings, missing, "")
    monkeypatch.delenv(missing, raising=False)

    assert not wechatpay.WechatPayProvider.is_configured()


def test_a_platform_public_key_is_used_with_its_configured_id(
    server, keys, settings, tmp_path, payment
):
    settings.WECHATPAY_PLATFORM_CERT_PATH = write_public_key(keys.platform, tmp_path / "pub.pem")
    settings.WECHATPAY_PLATFORM_SERIAL = "PUB_KEY_ID_0114232134912410000000000000"
    body = server.notification(server.transaction(payment))
    headers = server.headers(
        body, timestamp=int(time.time()), serial="PUB_KEY_ID_0114232134912410000000000000"
    )

    assert verify(server, body, headers).outcome == "succeeded"


def test_a_serial_is_written_in_whole_bytes_as_wechat_pay_writes_it():
    from villagemarket.payments.providers.signing import serial_hex

    assert serial_hex(0x0ABC) == "0ABC"
    assert serial_hex(0x5157F09EFDC096DE15EBE81A47057A7232F1B8E1) == (
        "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
    )
