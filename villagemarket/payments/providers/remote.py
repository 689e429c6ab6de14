"""What the real providers share: their settings, the one HTTP transport, refund and query
results, and the memory of notifications already acted on.

Every call to a provider's server goes through `send()`. Tests replace it (monkeypatch
`remote.send`), so no test and nothing a test runs reaches the network.
"""

from __future__ import annotations

import datetime
import os
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from .base import Notification

TIMEOUT_SECONDS = 10
# A provider's answer larger than this is not one of its API answers.
MAX_RESPONSE_BYTES = 1_000_000
BEIJING = datetime.timezone(datetime.timedelta(hours=8), "Asia/Shanghai")


class ProviderError(Exception):
    """A provider call failed: unreachable, refused, or an answer that is not genuine.

    `refused` is True only when the provider genuinely answered "no" (a business error it will
    repeat): the money did not move. Otherwise (unreachable, timeout, a system error, an answer
    that is not genuine) nobody knows whether it moved, and the caller must ask again later."""

    def __init__(self, code: str, message: str, *, refused: bool = False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.refused = refused


def setting(name: str) -> str:
    """A provider setting: Django settings when set there, else the environment variable."""
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "")
    return str(value).strip()


def missing_settings(provider: str, names: tuple[str, ...]) -> list[str]:
    """A problem naming the missing settings when some, but not all, of `names` are set."""
    missing = [name for name in names if not setting(name)]
    if not missing or len(missing) == len(names):
        return []
    return [f"{provider} is partly configured and so not offered: {', '.join(missing)} not set."]


@dataclass(frozen=True)
class RemoteResponse:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes


def send(method: str, url: str, *, headers: dict[str, str], body: bytes = b"") -> RemoteResponse:
    """One HTTPS call to a provider. Tests replace this function; nothing else opens sockets."""
    if not url.startswith("https://"):  # the gateways are configured; never file: or http:
        raise ProviderError("insecure_url", f"Provider calls go over https only, not {url}.")
    request = urllib.request.Request(url, data=body or None, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            status, raw_headers, data = (
                answer.status,
                answer.headers,
                answer.read(MAX_RESPONSE_BYTES),
            )
    except urllib.error.HTTPError as exc:  # 4xx/5xx still carry the provider's error body
        status, raw_headers, data = exc.code, exc.headers, exc.read(MAX_RESPONSE_BYTES)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ProviderError("unreachable", f"{url} did not answer: {exc}") from None
    return RemoteResponse(status, {k.lower(): v for k, v in raw_headers.items()}, data)


@dataclass(frozen=True)
class RefundResult:
    """What a provider said about one refund request (`refund_no` is ours, unique per refund)."""

    provider: str
    refund_no: str
    amount_minor: int
    currency: str
    # "succeeded" | "processing" | "failed"; a refund query may also answer "not_found" (the
    # provider never heard of this refund number: asking again with it is safe).
    status: str
    provider_refund_id: str = ""
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TradeStatus:
    """What a provider's query says about a payment's trade."""

    provider: str
    trade_no: str
    state: str  # "paid" | "awaiting_payment" | "closed" | "refunded" | "unknown"
    amount_minor: int | None
    currency: str
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderNotification(Notification):
    """A verified notification with the provider's own id for this delivery (Alipay's notify_id,
    WeChat Pay's event id), by which a replay is recognised."""

    delivery_id: str = ""


@dataclass(frozen=True)
class RefundNotification(ProviderNotification):
    """A verified notification about one refund (WeChat Pay's REFUND.*): `refund_no` is ours,
    `outcome` "succeeded" or "failed", the amount is what was refunded, `trade_no` the payment's
    transaction at the provider."""

    refund_no: str = ""
    provider_refund_id: str = ""
    why: str = ""

    @property
    def key(self) -> str:
        return f"{self.provider}:refund:{self.refund_no}:{self.outcome}"


def _seen_key(provider: str, delivery_id: str) -> str:
    return f"payments:notification-seen:{provider}:{delivery_id}"


def already_acted_on(provider: str, delivery_id: str) -> bool:
    """Whether this notification id has been acted on before (a replay)."""
    return bool(delivery_id) and cache.get(_seen_key(provider, delivery_id)) is not None


def remember(notification: Notification, *, seconds: int) -> None:
    """Record that a notification was acted on, for as long as a replay of it could still pass
    the freshness check. Called after it took effect (a delivery that failed half-way may be
    retried by the provider with the same id). The cache is Redis or the database, shared by
    every process; the unique notification key in PaymentEvent is what makes acting once
    certain, this only refuses replays early and says so."""
    delivery_id = getattr(notification, "delivery_id", "")
    if delivery_id:
        cache.set(_seen_key(notification.provider, delivery_id), 1, timeout=seconds)
