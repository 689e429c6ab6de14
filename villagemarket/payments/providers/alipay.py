"""Alipay open platform (开放平台): page and mobile-web payment, asynchronous notifications,
refund and query, signed with RSA2 (SHA256withRSA).

Requests: every parameter but `sign` (so `sign_type` too), empty ones left out, sorted by name,
joined as `name=value` with `&` and the values not URL-encoded; signed with the merchant's
private key. Notifications: the same, but without `sign` *and* `sign_type`, verified with Alipay's
public key. Synchronous answers ({"alipay_trade_query_response": {...}, "sign": "..."}) are signed
over the exact text of the `*_response` value as it arrived, not over a re-serialisation.

Settings (environment variables or Django settings of the same names); the provider is
configured only when all four are present:
    ALIPAY_APP_ID               the application's APPID
    ALIPAY_PRIVATE_KEY_PATH     the application's RSA2 private key (PEM or the bare base64)
    ALIPAY_PUBLIC_KEY_PATH      Alipay's public key for this application
    ALIPAY_SELLER_ID            the merchant's PID (2088...), checked on every notification
    ALIPAY_GATEWAY              optional; the production gateway unless set (e.g. the sandbox's)
"""

from __future__ import annotations

import datetime
import json
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from typing import NoReturn

from django.urls import reverse

from villagemarket.core.money import Money

from . import remote, signing
from .base import NotificationRefused
from .remote import BEIJING, ProviderError, ProviderNotification, RefundResult, TradeStatus

NAME = "alipay"
GATEWAY = "https://openapi.alipay.com/gateway.do"
PAGE_PAY = "alipay.trade.page.pay"
WAP_PAY = "alipay.trade.wap.pay"
REFUND = "alipay.trade.refund"
QUERY = "alipay.trade.query"
REFUND_QUERY = "alipay.trade.fastpay.refund.query"
# Answers that mean Alipay could not decide (the same out_request_no may be sent again), as
# opposed to a business refusal (40004 with another sub_code), after which nothing moved.
UNDECIDED_CODES = {"20000"}
UNDECIDED_SUB_CODES = {"ACQ.SYSTEM_ERROR", "aop.ACQ.SYSTEM_ERROR", "isp.unknow-error"}
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# Alipay retries an unanswered notification for 25 hours (2m, 10m, 10m, 1h, 2h, 6h, 15h) with the
# same notify_id. So that a late genuine retry still counts (our first answer may have been lost),
# a notify_time up to 25.5 hours old passes; an older one is refused as stale, and within the
# window a notify_id already acted on is refused as a replay.
NOTIFICATION_MAX_AGE = datetime.timedelta(hours=25, minutes=30)
CLOCK_SKEW = datetime.timedelta(minutes=5)
PAID_STATES = {"TRADE_SUCCESS", "TRADE_FINISHED"}
OUTCOMES = {"TRADE_SUCCESS": "succeeded", "TRADE_FINISHED": "succeeded", "TRADE_CLOSED": "failed"}
QUERY_STATES = {
    "WAIT_BUYER_PAY": "awaiting_payment",
    "TRADE_SUCCESS": "paid",
    "TRADE_FINISHED": "paid",
    "TRADE_CLOSED": "closed",
}
MOBILE_AGENTS = ("Mobile", "Android", "iPhone", "MicroMessenger", "AlipayClient")


@dataclass(frozen=True)
class AlipayConfig:
    app_id: str
    private_key_path: str
    public_key_path: str
    seller_id: str
    gateway: str = GATEWAY

    @property
    def private_key(self):
        return signing.load_private_key(self.private_key_path)

    @property
    def alipay_public_key(self):
        return signing.load_public_key(self.public_key_path)[0]


SETTINGS = (
    "ALIPAY_APP_ID",
    "ALIPAY_PRIVATE_KEY_PATH",
    "ALIPAY_PUBLIC_KEY_PATH",
    "ALIPAY_SELLER_ID",
)


def config() -> AlipayConfig | None:
    """The configuration from the environment, or None unless every setting is present."""
    values = [remote.setting(name) for name in SETTINGS]
    if not all(values):
        return None
    return AlipayConfig(*values, gateway=remote.setting("ALIPAY_GATEWAY") or GATEWAY)


def configuration_problems() -> list[str]:
    """What keeps a partly or wrongly configured Alipay from working ([] when unused or fine)."""
    problems = remote.missing_settings("Alipay", SETTINGS)
    cfg = config()
    if cfg is None:
        return problems
    for load in (lambda: cfg.private_key, lambda: cfg.alipay_public_key):
        try:
            load()
        except signing.KeyFileError as exc:
            problems.append(f"Alipay: {exc}")
    if not cfg.gateway.startswith("https://"):
        problems.append(f"Alipay: ALIPAY_GATEWAY must be an https URL, not {cfg.gateway!r}.")
    return problems


def _config() -> AlipayConfig:
    cfg = config()
    if cfg is None:
        raise ProviderError("not_configured", "Alipay is not configured.")
    return cfg


# --- signing -------------------------------------------------------------------------------
def signing_string(params: dict[str, str], *, exclude: tuple[str, ...]) -> str:
    """`name=value&...` over the non-empty parameters not in `exclude`, sorted by name."""
    return "&".join(
        f"{name}={params[name]}"
        for name in sorted(params)
        if name not in exclude and params[name] not in ("", None)
    )


def yuan(amount: Money) -> str:
    """Alipay amounts are yuan with two decimals ("12.30"), in CNY only."""
    if amount.currency != "CNY":
        raise ProviderError(
            "currency", f"Alipay takes CNY only, not {amount.currency}.", refused=True
        )
    return f"{amount.amount:.2f}"


def signed_request(
    cfg: AlipayConfig, method: str, biz_content: dict, *, now: float | None = None, **extra: str
) -> dict[str, str]:
    """The common parameters, `biz_content` as compact JSON and the RSA2 `sign`."""
    moment = datetime.datetime.fromtimestamp(time.time() if now is None else now, BEIJING)
    params = {
        "app_id": cfg.app_id,
        "method": method,
        "format": "JSON",
        "charset": "utf-8",
        "sign_type": "RSA2",
        "timestamp": moment.strftime(TIME_FORMAT),
        "version": "1.0",
        "biz_content": json.dumps(biz_content, ensure_ascii=False, separators=(",", ":")),
        **{name: value for name, value in extra.items() if value},
    }
    params["sign"] = signing.sign(
        cfg.private_key, signing_string(params, exclude=("sign",)).encode("utf-8")
    )
    return params


def out_trade_no(payment) -> str:
    """Our order number at Alipay: the payment's public id as 32 hex digits."""
    return payment.public_id.hex


def payment_url(
    cfg: AlipayConfig,
    payment,
    *,
    notify_url: str,
    return_url: str,
    mobile: bool = False,
    subject: str = "",
    now: float | None = None,
) -> str:
    """The gateway URL the buyer is sent to: page payment (FAST_INSTANT_TRADE_PAY) on a
    computer, mobile-web payment (QUICK_WAP_WAY) on a phone."""
    biz = {
        "out_trade_no": out_trade_no(payment),
        "total_amount": yuan(payment.amount),
        "subject": (subject or payment.description or "VillageMarket")[:256],
        "product_code": "QUICK_WAP_WAY" if mobile else "FAST_INSTANT_TRADE_PAY",
    }
    if mobile:
        biz["quit_url"] = return_url
    params = signed_request(
        cfg,
        WAP_PAY if mobile else PAGE_PAY,
        biz,
        now=now,
        notify_url=notify_url,
        return_url=return_url,
    )
    return f"{cfg.gateway}?{urllib.parse.urlencode(params)}"


# --- notifications ---------------------------------------------------------------------------
def _refuse(reason: str, message: str, status: int = 403) -> NoReturn:
    raise NotificationRefused(reason, message, status=status)


def parse_form(raw_body: bytes) -> dict[str, str]:
    """The form-encoded notification body, decoded in the charset it names (utf-8 or gbk)."""
    try:
        text = raw_body.decode("ascii")  # form encoding percent-escapes everything else
    except UnicodeDecodeError:
        _refuse("malformed", "The notification body is not form-encoded.", 400)
    first = dict(urllib.parse.parse_qsl(text, keep_blank_values=True, errors="replace"))
    charset = first.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "gbk", "gb2312"):
        _refuse("malformed", "The notification names an unknown charset.", 400)
    try:
        pairs = urllib.parse.parse_qsl(
            text, keep_blank_values=True, encoding=charset, errors="strict"
        )
    except (UnicodeDecodeError, ValueError):
        _refuse("malformed", "The notification is not in the charset it names.", 400)
    params = dict(pairs)
    if len(params) != len(pairs):
        _refuse("malformed", "A notification parameter appears twice.", 400)
    return params


def _check_fresh(params: dict[str, str], now: float) -> datetime.datetime:
    try:
        sent = datetime.datetime.strptime(params.get("notify_time", ""), TIME_FORMAT)
    except ValueError:
        _refuse("bad_timestamp", "notify_time is missing or not yyyy-MM-dd HH:mm:ss.")
    sent = sent.replace(tzinfo=BEIJING)
    age = datetime.datetime.fromtimestamp(now, BEIJING) - sent
    if age > NOTIFICATION_MAX_AGE or age < -CLOCK_SKEW:
        _refuse("stale", "notify_time is outside Alipay's retry window.")
    return sent


def verify_notification(
    cfg: AlipayConfig, raw_body: bytes, *, now: float | None = None
) -> ProviderNotification:
    """Verify an asynchronous notification (trade_status_sync) and read it.

    Refused: an unsigned or badly signed one (403), one for another app or seller (403), one
    outside the retry window (403), a notify_id already acted on (409), an unknown trade status
    or malformed fields (400). The amount is compared with the payment by apply_notification.
    """
    params = parse_form(raw_body)
    if not params.get("sign") or params.get("sign_type") != "RSA2":
        _refuse("unsigned", "The notification has no RSA2 signature.")
    # Alipay signs the bytes of the signing string in the charset the notification names.
    charset = params.get("charset", "utf-8").lower()
    message = signing_string(params, exclude=("sign", "sign_type")).encode(charset)
    if not signing.verify(cfg.alipay_public_key, message, params["sign"]):
        _refuse("bad_signature", "The signature does not match the notification.")
    if params.get("app_id") != cfg.app_id:
        _refuse("wrong_app", "The notification is for another Alipay application.")
    if params.get("seller_id") != cfg.seller_id:
        _refuse("wrong_seller", "The notification is for another Alipay merchant.")
    sent = _check_fresh(params, time.time() if now is None else now)
    notify_id = params.get("notify_id", "")
    if not notify_id or len(notify_id) > 128:
        _refuse("malformed", "notify_id is missing.", 400)
    if remote.already_acted_on(NAME, notify_id):
        _refuse("replayed", "This notification was already acted on.", 409)
    outcome = OUTCOMES.get(params.get("trade_status", ""))
    if outcome is None:
        _refuse("unexpected_status", "The trade status is not a final one.", 400)
    trade_no = params.get("trade_no", "")
    if not trade_no or len(trade_no) > 64:
        _refuse("malformed", "trade_no is missing.", 400)
    try:
        payment_id = uuid.UUID(hex=params.get("out_trade_no", ""))
        amount = Money.parse(params.get("total_amount", ""), "CNY")
    except ValueError:
        _refuse("malformed", "out_trade_no or total_amount is not ours.", 400)
    return ProviderNotification(
        provider=NAME,
        payment_id=payment_id,
        trade_no=trade_no,
        outcome=outcome,
        amount_minor=amount.minor,
        currency=amount.currency,
        sent_at=sent,
        delivery_id=notify_id,
        payer_account=payer_account(params),
    )


def payer_account(params: dict[str, str]) -> str:
    """Alipay's payer: buyer_id (the 2088... user number, stable) or, for apps that get only
    that, buyer_open_id; buyer_logon_id (a masked login) as a last resort."""
    for field in ("buyer_id", "buyer_open_id", "buyer_logon_id"):
        value = params.get(field, "").strip()
        if value:
            return f"{NAME}:{value[:64]}"
    return ""


# --- synchronous calls: refund and query ---------------------------------------------------
def response_members(text: str) -> dict[str, str]:
    """The top-level members of a JSON object as their exact source text (for verifying)."""
    decoder = json.JSONDecoder()
    members, index = {}, text.index("{") + 1
    while True:
        while index < len(text) and text[index] in " \t\r\n,":
            index += 1
        if index >= len(text) or text[index] == "}":
            return members
        name, index = decoder.raw_decode(text, index)
        while text[index] in " \t\r\n:":
            index += 1
        _value, end = decoder.raw_decode(text, index)
        members[name] = text[index:end]
        index = end


def verify_response(cfg: AlipayConfig, method: str, body: bytes) -> dict:
    """The `*_response` object of a synchronous answer, after checking Alipay's signature over
    its exact text. ProviderError when the answer is malformed or not genuine."""
    try:
        text = body.decode("utf-8")
        members = response_members(text)
        sign = json.loads(members["sign"])
    except (UnicodeDecodeError, ValueError, KeyError):
        raise ProviderError(
            "malformed", f"{method}: the answer is not a signed response."
        ) from None
    name = method.replace(".", "_") + "_response"
    raw = members.get(name) or members.get("error_response")
    if raw is None or not isinstance(sign, str):
        raise ProviderError("malformed", f"{method}: the answer has no {name}.")
    if not signing.verify(cfg.alipay_public_key, raw.encode("utf-8"), sign):
        raise ProviderError("bad_signature", f"{method}: the answer's signature does not match.")
    return json.loads(raw)


def call(cfg: AlipayConfig, method: str, biz_content: dict, *, now: float | None = None) -> dict:
    """POST a signed request to the gateway and return its verified `*_response` object."""
    params = signed_request(cfg, method, biz_content, now=now)
    answer = remote.send(
        "POST",
        cfg.gateway,
        headers={"Content-Type": "application/x-www-form-urlencoded;charset=utf-8"},
        body=urllib.parse.urlencode(params).encode("ascii"),
    )
    if answer.status != 200:
        raise ProviderError("http_status", f"{method}: Alipay answered HTTP {answer.status}.")
    return verify_response(cfg, method, answer.body)


def refund(cfg: AlipayConfig, payment, *, amount: Money, refund_no: str, reason: str = ""):
    """alipay.trade.refund: return `amount` of `payment`; `refund_no` (out_request_no) makes a
    retried request the same refund at Alipay, not a second one."""
    response = call(
        cfg,
        REFUND,
        {
            "out_trade_no": out_trade_no(payment),
            "refund_amount": yuan(amount),
            "out_request_no": refund_no,
            "refund_reason": reason[:256],
        },
    )
    if response.get("code") in UNDECIDED_CODES or response.get("sub_code") in UNDECIDED_SUB_CODES:
        raise ProviderError(
            str(response.get("sub_code") or response.get("code")),
            f"alipay.trade.refund: {response.get('sub_msg') or response.get('msg', '')}",
        )
    # 10000 is success, also when a retry finds the refund already made (fund_change "N").
    succeeded = response.get("code") == "10000"
    return RefundResult(
        provider=NAME,
        refund_no=refund_no,
        amount_minor=amount.minor,
        currency=amount.currency,
        status="succeeded" if succeeded else "failed",
        provider_refund_id=str(response.get("trade_no", "")),
        detail={
            key: response[key]
            for key in ("code", "msg", "sub_code", "sub_msg", "fund_change", "refund_fee")
            if key in response
        },
    )


def refund_query(cfg: AlipayConfig, payment, *, refund_no: str) -> RefundResult:
    """alipay.trade.fastpay.refund.query: whether our refund `refund_no` (out_request_no) was
    made. Alipay's code 10000 only says the query worked: the refund was made when the answer
    carries it (out_request_no and refund_amount) with refund_status REFUND_SUCCESS or none;
    with no refund in the answer Alipay never made it ("not_found": ask again with the same
    number)."""
    response = call(
        cfg,
        REFUND_QUERY,
        {
            "out_trade_no": out_trade_no(payment),
            "out_request_no": refund_no,
            "query_options": ["gmt_refund_pay"],
        },
    )
    if response.get("code") != "10000":
        if response.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
            return RefundResult(NAME, refund_no, 0, "CNY", "not_found", detail=response)
        raise ProviderError(
            str(response.get("sub_code") or response.get("code") or "query_failed"),
            f"{REFUND_QUERY}: {response.get('sub_msg') or response.get('msg', '')}",
        )
    if not response.get("refund_amount"):
        return RefundResult(NAME, refund_no, 0, "CNY", "not_found")
    if response.get("out_request_no", refund_no) != refund_no or response.get(
        "out_trade_no", out_trade_no(payment)
    ) != out_trade_no(payment):
        raise ProviderError("mismatch", f"{REFUND_QUERY} answered about another refund.")
    try:
        amount = Money.parse(str(response["refund_amount"]), "CNY").minor
    except ValueError:
        raise ProviderError("malformed", f"{REFUND_QUERY}: refund_amount is not yuan.") from None
    done = response.get("refund_status") in (None, "", "REFUND_SUCCESS")
    return RefundResult(
        provider=NAME,
        refund_no=refund_no,
        amount_minor=amount,
        currency="CNY",
        status="succeeded" if done else "processing",
        provider_refund_id=str(response.get("trade_no", "")),
        detail={
            key: response[key]
            for key in ("refund_status", "gmt_refund_pay", "refund_amount")
            if key in response
        },
    )


def query(cfg: AlipayConfig, payment) -> TradeStatus:
    """alipay.trade.query: what Alipay knows about the payment's trade."""
    response = call(cfg, QUERY, {"out_trade_no": out_trade_no(payment)})
    if response.get("code") != "10000":
        return TradeStatus(NAME, "", "unknown", None, "CNY", detail=response)
    if response.get("out_trade_no") != out_trade_no(payment):
        raise ProviderError("mismatch", "alipay.trade.query answered about another trade.")
    try:
        amount = Money.parse(str(response.get("total_amount", "")), "CNY").minor
    except ValueError:
        amount = None
    return TradeStatus(
        provider=NAME,
        trade_no=str(response.get("trade_no", "")),
        state=QUERY_STATES.get(response.get("trade_status", ""), "unknown"),
        amount_minor=amount,
        currency="CNY",
        detail={"trade_status": response.get("trade_status", "")},
    )


# --- the provider ------------------------------------------------------------------------------
def is_mobile(request) -> bool:
    agent = request.headers.get("User-Agent", "") if request is not None else ""
    return any(word in agent for word in MOBILE_AGENTS)


class AlipayProvider:
    """Alipay behind the payments interface: the buyer is sent to Alipay's own pages."""

    name = NAME
    hosted_here = False

    @staticmethod
    def is_configured() -> bool:
        return config() is not None

    def start(self, payment, *, request=None) -> str:
        from villagemarket.core.urls import absolute_url

        return payment_url(
            _config(),
            payment,
            notify_url=absolute_url(reverse("payments:notify_alipay")),
            return_url=absolute_url(reverse("payments:return", args=[payment.public_id])),
            mobile=is_mobile(request),
        )

    def verify_notification(self, headers, raw_body: bytes, *, now: float | None = None):
        cfg = config()
        if cfg is None:
            _refuse("not_configured", "Alipay is not configured here.", 404)
        return verify_notification(cfg, raw_body, now=now)

    def remember(self, notification) -> None:
        remote.remember(notification, seconds=int(NOTIFICATION_MAX_AGE.total_seconds()))

    def refund(self, payment, *, amount: Money, refund_no: str, reason: str = "") -> RefundResult:
        return refund(_config(), payment, amount=amount, refund_no=refund_no, reason=reason)

    def refund_query(self, payment, *, refund_no: str) -> RefundResult:
        return refund_query(_config(), payment, refund_no=refund_no)

    def query(self, payment) -> TradeStatus:
        return query(_config(), payment)

    # Alipay reads the answer's body: "success" stops its retries, anything else asks for more.
    @staticmethod
    def acknowledgement(accepted: bool) -> tuple[int, str, bytes]:
        return (200, "text/plain", b"success") if accepted else (400, "text/plain", b"fail")
