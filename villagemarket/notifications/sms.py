"""SMS providers behind one interface: a sandbox that records what it would send (the default;
shown in the back-office), and Aliyun SMS (阿里云短信服务) for production.

A provider's `send` returns the provider's message id, raises `PermanentFailure` when trying
again cannot help (a wrong number, a template the provider does not know) and any other exception
for a failure worth retrying. `idempotent` says whether the provider recognises a repeated send by
its key: then a delivery whose worker died mid-send is simply sent again with the same key;
otherwise it is left for an operator (see sending.py).

Configuration (environment variables, docs/notifications.md):
SMS_PROVIDER=sandbox|aliyun; for Aliyun ALIYUN_SMS_ACCESS_KEY_ID, ALIYUN_SMS_ACCESS_KEY_SECRET,
ALIYUN_SMS_SIGN_NAME (the approved signature, e.g. 村集), ALIYUN_SMS_TEMPLATES
("order_shipped=SMS_123456789,refund_decided=SMS_987654321": each event type's approved
template code), optionally ALIYUN_SMS_ENDPOINT and ALIYUN_SMS_REGION.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import os
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction


class PermanentFailure(Exception):
    """The provider refused the message for good: retrying cannot help."""


@dataclass(frozen=True)
class SmsMessage:
    mobile: str
    template_code: str
    params: dict[str, str]
    text: str  # what the template says once filled (the sandbox shows it; Aliyun fills its own)
    key: str  # idempotency key: the same delivery always sends with the same key


def _setting(name: str, default: str = "") -> str:
    return str(getattr(settings, name, None) or os.environ.get(name, default))


def template_codes() -> dict[str, str]:
    """Event type -> the provider's approved template code, from ALIYUN_SMS_TEMPLATES."""
    pairs = [p.split("=", 1) for p in _setting("ALIYUN_SMS_TEMPLATES").split(",") if "=" in p]
    return {kind.strip(): code.strip() for kind, code in pairs}


class SandboxSms:
    """Records each message instead of sending it. A repeated key returns the first record's id
    and records nothing new, as a provider with idempotency keys does.

    SMS_SANDBOX_DELAY_SECONDS makes it wait after recording, as a slow network would before the
    answer comes back (the kill test uses it to stop a worker mid-send)."""

    name = "sandbox"
    idempotent = True

    def send(self, message: SmsMessage) -> str:
        from .models import SandboxSms as Record

        try:
            with transaction.atomic():
                record, _ = Record.objects.get_or_create(
                    key=message.key,
                    defaults={
                        "mobile": message.mobile,
                        "sign_name": _setting("ALIYUN_SMS_SIGN_NAME", "VillageMarket"),
                        "template_code": message.template_code or "-",
                        "template_params": message.params,
                        "text": message.text[:500],
                    },
                )
        except IntegrityError:  # the same key sent at the same moment by another worker
            record = Record.objects.get(key=message.key)
        delay = float(_setting("SMS_SANDBOX_DELAY_SECONDS", "0") or 0)
        if delay:
            time.sleep(delay)
        return record.provider_id


# Aliyun answers with a Code; these mean the message can never be sent as it is.
ALIYUN_PERMANENT = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.TEMPLATE_MISSING_PARAMETERS",
    "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.SMS_SIGNATURE_ILLEGAL",
    "isv.INVALID_PARAMETERS",
    "isv.PARAM_LENGTH_LIMIT",
    "isv.BLACK_KEY_CONTROL_LIMIT",
    "isv.AMOUNT_NOT_ENOUGH",
}


def _percent(value: str) -> str:
    return urllib.parse.quote(value, safe="~")


@dataclass
class AliyunSms:
    """Aliyun SMS (Dysmsapi 2017-05-25, SendSms), signed with the RPC HMAC-SHA1 signature.

    Aliyun takes an `OutId` (we pass the idempotency key) but does not refuse a repeat of it, so
    this provider is not idempotent: a send interrupted mid-way is not repeated automatically.
    `transport` is replaceable so tests never reach the network."""

    access_key_id: str
    access_key_secret: str
    sign_name: str
    endpoint: str = "https://dysmsapi.aliyuncs.com/"
    region: str = "cn-hangzhou"
    transport: Callable[[str, bytes], dict] | None = field(default=None, repr=False)
    name = "aliyun"
    idempotent = False

    def request_params(self, message: SmsMessage, *, nonce: str, timestamp: str) -> dict:
        """The signed form fields of a SendSms call."""
        params = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "RegionId": self.region,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce,
            "SignatureVersion": "1.0",
            "Timestamp": timestamp,
            "Version": "2017-05-25",
            "PhoneNumbers": message.mobile,
            "SignName": self.sign_name,
            "TemplateCode": message.template_code,
            "TemplateParam": json.dumps(message.params, ensure_ascii=False, sort_keys=True),
            "OutId": message.key,
        }
        canonical = "&".join(f"{_percent(k)}={_percent(v)}" for k, v in sorted(params.items()))
        to_sign = f"POST&{_percent('/')}&{_percent(canonical)}"
        digest = hmac.new(
            f"{self.access_key_secret}&".encode(), to_sign.encode(), hashlib.sha1
        ).digest()
        params["Signature"] = base64.b64encode(digest).decode()
        return params

    def send(self, message: SmsMessage) -> str:
        if not message.template_code:
            raise PermanentFailure(
                "no approved template code for this event (ALIYUN_SMS_TEMPLATES)"
            )
        params = self.request_params(
            message,
            nonce=uuid.uuid4().hex,
            timestamp=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        answer = (self.transport or _post)(self.endpoint, urllib.parse.urlencode(params).encode())
        code = answer.get("Code")
        if code == "OK":
            return str(answer.get("BizId", ""))
        if code in ALIYUN_PERMANENT:
            raise PermanentFailure(f"{code}: {answer.get('Message', '')}")
        raise RuntimeError(f"Aliyun SMS {code}: {answer.get('Message', '')}")


def _post(url: str, body: bytes) -> dict:  # pragma: no cover - the network, never in tests
    request = urllib.request.Request(  # noqa: S310 - a fixed https endpoint from settings
        url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read().decode())


def provider():
    """The configured SMS provider (SMS_PROVIDER; the sandbox unless set to aliyun)."""
    if _setting("SMS_PROVIDER", "sandbox") == "aliyun":
        return AliyunSms(
            access_key_id=_setting("ALIYUN_SMS_ACCESS_KEY_ID"),
            access_key_secret=_setting("ALIYUN_SMS_ACCESS_KEY_SECRET"),
            sign_name=_setting("ALIYUN_SMS_SIGN_NAME"),
            endpoint=_setting("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/"),
            region=_setting("ALIYUN_SMS_REGION", "cn-hangzhou"),
        )
    return SandboxSms()
