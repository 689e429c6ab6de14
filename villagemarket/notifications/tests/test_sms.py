"""The Aliyun SMS provider builds a signed SendSms call and reads its answers; never the network."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse

import pytest

from villagemarket.notifications import sms

MESSAGE = sms.SmsMessage(
    mobile="13912345678",
    template_code="SMS_123456789",
    params={"order": "#12", "tracking": "ZT1"},
    text="",
    key="vm-delivery-7",
)


class FakeTransport:
    """Stands in for Aliyun: records each call, answers `answer`."""

    def __init__(self, answer: dict):
        self.answer, self.calls = answer, []

    def __call__(self, url: str, body: bytes) -> dict:
        self.calls.append((url, dict(urllib.parse.parse_qsl(body.decode()))))
        return self.answer


def provider(answer: dict) -> tuple[sms.AliyunSms, FakeTransport]:
    transport = FakeTransport(answer)
    return (
        sms.AliyunSms(
            access_key_id="testid",
            access_key_secret="testsecret",  # noqa: S106 - a test key
            sign_name="村集",
            transport=transport,
        ),
        transport,
    )


def test_a_sendsms_call_carries_the_template_its_parameters_and_the_key():
    aliyun, transport = provider({"Code": "OK", "BizId": "900619746936498440^0"})

    assert aliyun.send(MESSAGE) == "900619746936498440^0"

    ((url, fields),) = transport.calls
    assert url == "https://dysmsapi.aliyuncs.com/"
    assert fields["Action"] == "SendSms" and fields["PhoneNumbers"] == "13912345678"
    assert (fields["SignName"], fields["TemplateCode"]) == ("村集", "SMS_123456789")
    assert json.loads(fields["TemplateParam"]) == {"order": "#12", "tracking": "ZT1"}
    assert fields["OutId"] == "vm-delivery-7"


def test_the_signature_is_aliyuns_rpc_hmac_sha1_over_the_sorted_fields():
    aliyun, _transport = provider({})
    fields = aliyun.request_params(MESSAGE, nonce="n1", timestamp="2026-12-01T12:00:00Z")

    signature = fields.pop("Signature")
    canonical = "&".join(
        f"{urllib.parse.quote(k, safe='~')}={urllib.parse.quote(v, safe='~')}"
        for k, v in sorted(fields.items())
    )
    to_sign = "POST&%2F&" + urllib.parse.quote(canonical, safe="~")
    expected = hmac.new(b"testsecret&", to_sign.encode(), hashlib.sha1).digest()
    assert signature == base64.b64encode(expected).decode()
    assert "%E6%9D%91%E9%9B%86" in canonical  # SignName 村集, UTF-8 percent-encoded


def test_a_wrong_number_is_a_permanent_failure_and_throttling_is_retried():
    wrong, _ = provider({"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "bad number"})
    with pytest.raises(sms.PermanentFailure):
        wrong.send(MESSAGE)

    busy, _ = provider({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "too fast"})
    with pytest.raises(RuntimeError, match="BUSINESS_LIMIT_CONTROL"):
        busy.send(MESSAGE)


def test_the_sandbox_is_the_default_and_aliyun_is_chosen_by_setting(settings):
    assert isinstance(sms.provider(), sms.SandboxSms)
    settings.SMS_PROVIDER = "aliyun"
    settings.ALIYUN_SMS_TEMPLATES = "order_shipped=SMS_1, refund_decided=SMS_2"
    assert isinstance(sms.provider(), sms.AliyunSms)
    assert sms.template_codes() == {"order_shipped": "SMS_1", "refund_decided": "SMS_2"}
    assert not sms.AliyunSms.idempotent and sms.SandboxSms.idempotent


def test_an_event_without_an_approved_template_fails_for_good_without_calling_aliyun():
    aliyun, transport = provider({"Code": "OK", "BizId": "1"})
    untemplated = sms.SmsMessage(
        mobile="13912345678", template_code="", params={}, text="", key="k"
    )

    with pytest.raises(sms.PermanentFailure, match="ALIYUN_SMS_TEMPLATES"):
        aliyun.send(untemplated)
    assert transport.calls == []
