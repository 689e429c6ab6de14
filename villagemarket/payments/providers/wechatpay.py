"""WeChat Pay API v3 (微信支付): H5 and JSAPI orders, payment and refund notifications, refund
and refund query, payment query.

Requests carry `Authorization: WECHATPAY2-SHA256-RSA2048 mchid=..,nonce_str=..,signature=..,
timestamp=..,serial_no=..`, the signature being SHA256withRSA with the merchant's API key over
"METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nBODY\\n". Answers and notifications are signed by WeChat
Pay over "TIMESTAMP\\nNONCE\\nBODY\\n" (headers Wechatpay-Timestamp, -Nonce, -Signature, -Serial)
with its platform certificate's key; the serial must be the certificate we hold and the timestamp
within 5 minutes. A notification's `resource` is AES-256-GCM encrypted with the APIv3 key (nonce
and associated_data beside the ciphertext).

Refunds answer SUCCESS, PROCESSING, ABNORMAL or CLOSED; a PROCESSING one ends later with a
refund notification (event_type REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED, the same
signed and encrypted envelope, its resource the refund: out_refund_no, refund_status, amount)
sent to the notify_url given with the refund (the same endpoint as payments), or is found by
the refund query (GET /v3/refund/domestic/refunds/{out_refund_no}).

Settings (environment variables or Django settings of the same names); configured only when
all six are present:
    WECHATPAY_APPID               the app id the buyer pays to (official account / H5)
    WECHATPAY_MCHID               the merchant id
    WECHATPAY_MERCHANT_SERIAL     the serial number of the merchant's API certificate
    WECHATPAY_PRIVATE_KEY_PATH    the merchant's API private key (apiclient_key.pem)
    WECHATPAY_APIV3_KEY           the 32-character APIv3 key
    WECHATPAY_PLATFORM_CERT_PATH  WeChat Pay's platform certificate (or its public key, with
                                  WECHATPAY_PLATFORM_SERIAL set to the public key's id)
    WECHATPAY_API_BASE            optional; https://api.mch.weixin.qq.com unless set
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import NoReturn

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.urls import reverse

from villagemarket.core.money import Money

from . import remote, signing
from .base import NotificationRefused
from .remote import (
    ProviderError,
    ProviderNotification,
    RefundNotification,
    RefundResult,
    TradeStatus,
)

NAME = "wechatpay"
API_BASE = "https://api.mch.weixin.qq.com"
SCHEME = "WECHATPAY2-SHA256-RSA2048"
TOLERANCE_SECONDS = 300
# WeChat Pay retries an unanswered notification for about 24 hours with the same event id.
REPLAY_MEMORY_SECONDS = 25 * 3600
OUTCOMES = {"SUCCESS": "succeeded", "CLOSED": "failed", "PAYERROR": "failed", "REVOKED": "failed"}
QUERY_STATES = {
    "SUCCESS": "paid",
    "NOTPAY": "awaiting_payment",
    "USERPAYING": "awaiting_payment",
    "CLOSED": "closed",
    "REVOKED": "closed",
    "PAYERROR": "closed",
    "REFUND": "refunded",
}
REFUND_STATES = {
    "SUCCESS": "succeeded",
    "PROCESSING": "processing",
    "CLOSED": "failed",
    "ABNORMAL": "failed",
}


@dataclass(frozen=True)
class WechatPayConfig:
    appid: str
    mchid: str
    merchant_serial: str
    private_key_path: str
    apiv3_key: str
    platform_cert_path: str
    platform_serial: str = ""
    api_base: str = API_BASE

    @property
    def private_key(self):
        return signing.load_private_key(self.private_key_path)

    @property
    def platform_key(self):
        """WeChat Pay's public key and the serial its signatures name."""
        key, serial = signing.load_public_key(self.platform_cert_path)
        return key, (self.platform_serial or serial)


SETTINGS = (
    "WECHATPAY_APPID",
    "WECHATPAY_MCHID",
    "WECHATPAY_MERCHANT_SERIAL",
    "WECHATPAY_PRIVATE_KEY_PATH",
    "WECHATPAY_APIV3_KEY",
    "WECHATPAY_PLATFORM_CERT_PATH",
)


def config() -> WechatPayConfig | None:
    """The configuration from the environment, or None unless every setting is present."""
    values = [remote.setting(name) for name in SETTINGS]
    if not all(values):
        return None
    return WechatPayConfig(
        *values,
        platform_serial=remote.setting("WECHATPAY_PLATFORM_SERIAL"),
        api_base=(remote.setting("WECHATPAY_API_BASE") or API_BASE).rstrip("/"),
    )


def configuration_problems() -> list[str]:
    """What keeps a partly or wrongly configured WeChat Pay from working ([] if unused or fine)."""
    problems = remote.missing_settings("WeChat Pay", SETTINGS)
    cfg = config()
    if cfg is None:
        return problems
    for load in (lambda: cfg.private_key, lambda: cfg.platform_key):
        try:
            load()
        except signing.KeyFileError as exc:
            problems.append(f"WeChat Pay: {exc}")
    if len(cfg.apiv3_key.encode()) != 32:
        problems.append("WeChat Pay: WECHATPAY_APIV3_KEY must be the 32-character APIv3 key.")
    if not cfg.api_base.startswith("https://"):
        problems.append(f"WeChat Pay: WECHATPAY_API_BASE must be https, not {cfg.api_base!r}.")
    return problems


def _config() -> WechatPayConfig:
    cfg = config()
    if cfg is None:
        raise ProviderError("not_configured", "WeChat Pay is not configured.")
    return cfg


# --- signatures ------------------------------------------------------------------------------
def authorization(
    cfg: WechatPayConfig,
    method: str,
    path: str,
    body: str,
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> str:
    """The Authorization header of a request to `path` (with its query string)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    nonce = nonce or secrets.token_hex(16).upper()
    message = f"{method}\n{path}\n{timestamp}\n{nonce}\n{body}\n".encode()
    signature = signing.sign(cfg.private_key, message)
    return (
        f'{SCHEME} mchid="{cfg.mchid}",nonce_str="{nonce}",signature="{signature}",'
        f'timestamp="{timestamp}",serial_no="{cfg.merchant_serial}"'
    )


def _header(headers, name: str) -> str:
    value = headers.get(name)
    if value is None:
        value = {str(k).lower(): v for k, v in headers.items()}.get(name.lower(), "")
    return str(value or "")


def signature_problem(
    cfg: WechatPayConfig, headers, body: bytes, now: float
) -> tuple[str, str] | None:
    """Why a message said to come from WeChat Pay is not genuine and fresh, or None."""
    stamp = _header(headers, "Wechatpay-Timestamp")
    nonce = _header(headers, "Wechatpay-Nonce")
    signature = _header(headers, "Wechatpay-Signature")
    serial = _header(headers, "Wechatpay-Serial")
    if not (stamp and nonce and signature and serial):
        return "unsigned", "A Wechatpay-* signature header is missing."
    key, expected_serial = cfg.platform_key
    if serial.upper() != expected_serial.upper():
        return "unknown_serial", "Signed with a platform certificate we do not hold."
    try:
        timestamp = int(stamp)
    except ValueError:
        return "bad_timestamp", "Wechatpay-Timestamp is not unix seconds."
    message = stamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"
    # Signature first: an unsigned party learns nothing about our clock window.
    if not signing.verify(key, message, signature):
        return "bad_signature", "The signature does not match the body."
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return "stale", "Wechatpay-Timestamp is more than 5 minutes away."
    return None


def decrypt_resource(apiv3_key: str, resource: dict) -> dict:
    """The JSON object inside an AEAD_AES_256_GCM `resource`; ValueError if it does not open."""
    if resource.get("algorithm") != "AEAD_AES_256_GCM":
        raise ValueError("unknown algorithm")
    key = apiv3_key.encode()
    if len(key) != 32:
        raise ValueError("the APIv3 key is not 32 bytes")
    try:
        ciphertext = base64.b64decode(str(resource["ciphertext"]), validate=True)
        plain = AESGCM(key).decrypt(
            str(resource["nonce"]).encode(),
            ciphertext,
            str(resource.get("associated_data") or "").encode(),
        )
        data = json.loads(plain)
    except (InvalidTag, KeyError, binascii.Error, ValueError):
        raise ValueError("the resource does not decrypt with our APIv3 key") from None
    if not isinstance(data, dict):
        raise ValueError("the resource is not an object")
    return data


def encrypt_resource(
    apiv3_key: str,
    data: dict,
    *,
    associated_data: str = "transaction",
    original_type: str = "transaction",
) -> dict:
    """The inverse of decrypt_resource (what WeChat Pay does; used by tests and the demo)."""
    nonce = secrets.token_hex(6)
    plain = json.dumps(data, ensure_ascii=False).encode()
    ciphertext = AESGCM(apiv3_key.encode()).encrypt(nonce.encode(), plain, associated_data.encode())
    return {
        "original_type": original_type,
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": base64.b64encode(ciphertext).decode(),
        "associated_data": associated_data,
        "nonce": nonce,
    }


# --- notifications ---------------------------------------------------------------------------
def _refuse(reason: str, message: str, status: int = 403) -> NoReturn:
    raise NotificationRefused(reason, message, status=status)


def _event(raw_body: bytes) -> dict:
    try:
        event = json.loads(raw_body)
        if not isinstance(event, dict) or not isinstance(event.get("resource"), dict):
            raise ValueError("no resource")
        if not isinstance(event.get("id"), str) or not 0 < len(event["id"]) <= 64:
            raise ValueError("no id")
    except ValueError:
        _refuse("malformed", "The body is not a WeChat Pay notification.", 400)
    return event


def verify_notification(
    cfg: WechatPayConfig, headers, raw_body: bytes, *, now: float | None = None
) -> ProviderNotification:
    """Verify a payment notification (TRANSACTION.*) and read its decrypted transaction.

    Refused: unsigned, unknown serial, bad signature, stale (403); an event id already acted on
    (409); a resource that does not decrypt with our APIv3 key, or malformed fields (400); a
    transaction for another app id or merchant (403). The amount is compared with the payment by
    apply_notification.
    """
    problem = signature_problem(cfg, headers, raw_body, time.time() if now is None else now)
    if problem:
        _refuse(*problem)
    event = _event(raw_body)
    if remote.already_acted_on(NAME, event["id"]):
        _refuse("replayed", "This notification was already acted on.", 409)
    if str(event.get("event_type", "")).startswith("REFUND."):
        return _refund_notification(cfg, event)
    if not str(event.get("event_type", "")).startswith("TRANSACTION."):
        _refuse("unexpected_event", "Not a payment notification.", 400)
    try:
        tx = decrypt_resource(cfg.apiv3_key, event["resource"])
    except ValueError as exc:
        _refuse("undecryptable", f"The resource does not decrypt ({exc}).", 400)
    if tx.get("appid") != cfg.appid:
        _refuse("wrong_app", "The notification is for another app id.")
    if tx.get("mchid") != cfg.mchid:
        _refuse("wrong_merchant", "The notification is for another merchant.")
    outcome = OUTCOMES.get(tx.get("trade_state", ""))
    if outcome is None:
        _refuse("unexpected_status", "The trade state is not a final one.", 400)
    try:
        payment_id = uuid.UUID(hex=str(tx.get("out_trade_no", "")))
        amount = tx["amount"]["total"]
        currency = str(tx["amount"].get("currency", "CNY"))
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise ValueError("amount")
        trade_no = str(tx["transaction_id"])
        if not 0 < len(trade_no) <= 64:
            raise ValueError("transaction_id")
        sent_at = datetime.datetime.fromisoformat(str(event.get("create_time", "")))
    except (ValueError, KeyError, TypeError, AttributeError):
        _refuse("malformed", "The transaction's fields are not ours.", 400)
    return ProviderNotification(
        provider=NAME,
        payment_id=payment_id,
        trade_no=trade_no,
        outcome=outcome,
        amount_minor=amount,
        currency=currency,
        sent_at=sent_at,
        delivery_id=event["id"],
        payer_account=_payer(tx),
    )


def _payer(tx: dict) -> str:
    """The payer's openid (per app id: stable for one buyer paying this merchant)."""
    payer = tx.get("payer")
    openid = str(payer.get("openid", "")).strip() if isinstance(payer, dict) else ""
    return f"{NAME}:{openid[:64]}" if openid else ""


def _refund_notification(cfg: WechatPayConfig, event: dict) -> RefundNotification:
    """The decrypted refund of a REFUND.* notification (its signature already checked)."""
    try:
        refund = decrypt_resource(cfg.apiv3_key, event["resource"])
    except ValueError as exc:
        _refuse("undecryptable", f"The resource does not decrypt ({exc}).", 400)
    if refund.get("mchid") != cfg.mchid:
        _refuse("wrong_merchant", "The notification is for another merchant.")
    outcome = REFUND_STATES.get(str(refund.get("refund_status", "")))
    if outcome not in ("succeeded", "failed"):
        _refuse("unexpected_status", "The refund status is not a final one.", 400)
    try:
        payment_id = uuid.UUID(hex=str(refund.get("out_trade_no", "")))
        refund_no = str(refund["out_refund_no"])
        amount = refund["amount"]["refund"]
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise ValueError("amount")
        if not 0 < len(refund_no) <= 64:
            raise ValueError("out_refund_no")
        sent_at = datetime.datetime.fromisoformat(str(event.get("create_time", "")))
    except (ValueError, KeyError, TypeError, AttributeError):
        _refuse("malformed", "The refund's fields are not ours.", 400)
    return RefundNotification(
        provider=NAME,
        payment_id=payment_id,
        trade_no=str(refund.get("transaction_id", ""))[:64],
        outcome=outcome,
        amount_minor=amount,
        currency="CNY",  # a refund notification's amounts are in fen of the payment's CNY
        sent_at=sent_at,
        delivery_id=event["id"],
        refund_no=refund_no,
        provider_refund_id=str(refund.get("refund_id", ""))[:64],
        why=str(refund.get("refund_status", "")),
    )


# --- calls -----------------------------------------------------------------------------------
# Error codes WeChat Pay answers when it could not decide: the same request may be sent again.
RETRYABLE_CODES = {"SYSTEM_ERROR", "SYSTEMERROR", "FREQUENCY_LIMITED", "FREQUENCY_LIMIT_EXCEED"}


def call(cfg: WechatPayConfig, method: str, path: str, payload: dict | None = None) -> dict:
    """Send a signed request; return the JSON answer after checking WeChat Pay's signature."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")) if payload else ""
    answer = remote.send(
        method,
        cfg.api_base + path,
        headers={
            "Authorization": authorization(cfg, method, path, body),
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": "VillageMarket",
        },
        body=body.encode(),
    )
    if answer.status not in (200, 204):
        try:
            error = json.loads(answer.body)
            code, message = str(error.get("code", "")), str(error.get("message", ""))
        except (ValueError, AttributeError):
            code, message = "", ""
        # A 4xx with a business code is WeChat Pay's "no" (nothing moved); a 5xx, 429 or a
        # system error leaves the outcome open.
        refused = 400 <= answer.status < 500 and answer.status != 429
        raise ProviderError(
            code or "http_status",
            f"WeChat Pay answered {answer.status} {message}",
            refused=refused and code not in RETRYABLE_CODES,
        )
    problem = signature_problem(cfg, answer.headers, answer.body, time.time())
    if problem:
        raise ProviderError(problem[0], f"WeChat Pay's answer: {problem[1]}")
    try:
        return json.loads(answer.body) if answer.body else {}
    except ValueError:
        raise ProviderError("malformed", "WeChat Pay's answer is not JSON.") from None


def _order(cfg: WechatPayConfig, payment, *, notify_url: str, description: str) -> dict:
    if payment.currency != "CNY":
        raise ProviderError("currency", f"WeChat Pay takes CNY only, not {payment.currency}.")
    return {
        "appid": cfg.appid,
        "mchid": cfg.mchid,
        "description": (description or payment.description or "VillageMarket")[:127],
        "out_trade_no": payment.public_id.hex,
        "notify_url": notify_url,
        "amount": {"total": payment.amount_minor, "currency": "CNY"},
    }


def h5_order(
    cfg: WechatPayConfig, payment, *, notify_url: str, client_ip: str, description: str = ""
) -> str:
    """Place an H5 (mobile browser) order; the h5_url the buyer is sent to."""
    order = _order(cfg, payment, notify_url=notify_url, description=description)
    order["scene_info"] = {"payer_client_ip": client_ip, "h5_info": {"type": "Wap"}}
    answer = call(cfg, "POST", "/v3/pay/transactions/h5", order)
    if not isinstance(answer.get("h5_url"), str) or not answer["h5_url"].startswith("https://"):
        raise ProviderError("malformed", "WeChat Pay's H5 answer has no h5_url.")
    return answer["h5_url"]


def jsapi_order(
    cfg: WechatPayConfig, payment, *, notify_url: str, openid: str, description: str = ""
) -> dict[str, str]:
    """Place a JSAPI order (inside WeChat, for a buyer whose openid we know) and return the
    signed parameters for WeixinJSBridge's getBrandWCPayRequest."""
    order = _order(cfg, payment, notify_url=notify_url, description=description)
    order["payer"] = {"openid": openid}
    prepay_id = call(cfg, "POST", "/v3/pay/transactions/jsapi", order).get("prepay_id")
    if not isinstance(prepay_id, str) or not prepay_id:
        raise ProviderError("malformed", "WeChat Pay's JSAPI answer has no prepay_id.")
    timestamp, nonce, package = (
        str(int(time.time())),
        secrets.token_hex(16),
        f"prepay_id={prepay_id}",
    )
    message = f"{cfg.appid}\n{timestamp}\n{nonce}\n{package}\n".encode()
    return {
        "appId": cfg.appid,
        "timeStamp": timestamp,
        "nonceStr": nonce,
        "package": package,
        "signType": "RSA",
        "paySign": signing.sign(cfg.private_key, message),
    }


def query(cfg: WechatPayConfig, payment) -> TradeStatus:
    """What WeChat Pay knows about the payment (by our out_trade_no)."""
    path = f"/v3/pay/transactions/out-trade-no/{payment.public_id.hex}?mchid={cfg.mchid}"
    answer = call(cfg, "GET", path)
    if answer.get("out_trade_no") != payment.public_id.hex or answer.get("mchid") != cfg.mchid:
        raise ProviderError("mismatch", "WeChat Pay answered about another trade.")
    amount = (answer.get("amount") or {}).get("total")
    return TradeStatus(
        provider=NAME,
        trade_no=str(answer.get("transaction_id", "")),
        state=QUERY_STATES.get(answer.get("trade_state", ""), "unknown"),
        amount_minor=amount if isinstance(amount, int) and not isinstance(amount, bool) else None,
        currency=str((answer.get("amount") or {}).get("currency", "CNY")),
        detail={"trade_state": answer.get("trade_state", "")},
    )


def refund(
    cfg: WechatPayConfig,
    payment,
    *,
    amount: Money,
    refund_no: str,
    reason: str = "",
    notify_url: str = "",
):
    """Ask WeChat Pay to return `amount` of `payment`; `refund_no` (out_refund_no) makes a
    retried request the same refund, not a second one. PROCESSING is answered "processing":
    the refund notification sent to `notify_url`, or refund_query, says how it ended."""
    if amount.currency != payment.currency:
        raise ProviderError("currency", "A refund is in the payment's currency.", refused=True)
    payload = {
        "out_trade_no": payment.public_id.hex,
        "out_refund_no": refund_no,
        "amount": {"refund": amount.minor, "total": payment.amount_minor, "currency": "CNY"},
    }
    if reason:
        payload["reason"] = reason[:80]
    if notify_url:
        payload["notify_url"] = notify_url
    answer = call(cfg, "POST", "/v3/refund/domestic/refunds", payload)
    return RefundResult(
        provider=NAME,
        refund_no=refund_no,
        amount_minor=amount.minor,
        currency=amount.currency,
        status=REFUND_STATES.get(answer.get("status", ""), "processing"),
        provider_refund_id=str(answer.get("refund_id", "")),
        detail={"status": answer.get("status", ""), "channel": answer.get("channel", "")},
    )


def refund_query(cfg: WechatPayConfig, payment, *, refund_no: str) -> RefundResult:
    """What WeChat Pay knows about our refund `refund_no`; "not_found" when it never got it."""
    try:
        answer = call(cfg, "GET", f"/v3/refund/domestic/refunds/{refund_no}")
    except ProviderError as exc:
        if exc.code == "RESOURCE_NOT_EXISTS":
            return RefundResult(NAME, refund_no, 0, payment.currency, "not_found")
        raise
    if answer.get("out_refund_no") != refund_no or answer.get("out_trade_no") not in (
        None,
        payment.public_id.hex,
    ):
        raise ProviderError("mismatch", "WeChat Pay answered about another refund.")
    amount = (answer.get("amount") or {}).get("refund")
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise ProviderError("malformed", "WeChat Pay's refund answer has no amount.")
    return RefundResult(
        provider=NAME,
        refund_no=refund_no,
        amount_minor=amount,
        currency=payment.currency,
        status=REFUND_STATES.get(answer.get("status", ""), "processing"),
        provider_refund_id=str(answer.get("refund_id", "")),
        detail={"status": answer.get("status", "")},
    )


# --- the provider ------------------------------------------------------------------------------
class WechatPayProvider:
    """WeChat Pay behind the payments interface: H5 payment in a phone's browser."""

    name = NAME
    hosted_here = False

    @staticmethod
    def is_configured() -> bool:
        return config() is not None

    def start(self, payment, *, request=None) -> str:
        from urllib.parse import quote

        from villagemarket.core.urls import absolute_url

        client_ip = request.META.get("REMOTE_ADDR", "") if request is not None else ""
        h5_url = h5_order(
            _config(),
            payment,
            notify_url=absolute_url(reverse("payments:notify_wechatpay")),
            client_ip=client_ip or "127.0.0.1",
        )
        back = absolute_url(reverse("payments:return", args=[payment.public_id]))
        return f"{h5_url}&redirect_url={quote(back, safe='')}"

    def verify_notification(self, headers, raw_body: bytes, *, now: float | None = None):
        cfg = config()
        if cfg is None:
            _refuse("not_configured", "WeChat Pay is not configured here.", 404)
        return verify_notification(cfg, headers, raw_body, now=now)

    def remember(self, notification) -> None:
        remote.remember(notification, seconds=REPLAY_MEMORY_SECONDS)

    def refund(self, payment, *, amount: Money, refund_no: str, reason: str = "") -> RefundResult:
        from villagemarket.core.urls import absolute_url

        return refund(
            _config(),
            payment,
            amount=amount,
            refund_no=refund_no,
            reason=reason,
            notify_url=absolute_url(reverse("payments:notify_wechatpay")),
        )

    def refund_query(self, payment, *, refund_no: str) -> RefundResult:
        return refund_query(_config(), payment, refund_no=refund_no)

    def query(self, payment) -> TradeStatus:
        return query(_config(), payment)

    # WeChat Pay reads the status: 2xx stops its retries; otherwise a JSON {code, message}.
    @staticmethod
    def acknowledgement(accepted: bool) -> tuple[int, str, bytes]:
        if accepted:
            return 204, "application/json", b""
        return 400, "application/json", b'{"code":"FAIL","message":"refused"}'
