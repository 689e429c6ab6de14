"""The payment-provider interface and the registry of providers by name.

A provider does two things: it sends the buyer somewhere to pay (`start`), and it proves that a
server-to-server notification really came from it (`verify_notification`). Only a verified
notification may mark a payment paid; there is no synchronous "confirm" path.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from importlib import import_module
from typing import Protocol

from django.conf import settings

OUTCOMES = ("succeeded", "failed")


class NotificationRefused(Exception):
    """A notification that must not be acted on. `status` is the HTTP answer (400 or 403)."""

    def __init__(self, reason: str, message: str, *, status: int = 400):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Notification:
    """What a provider reports about one payment attempt, after its signature was verified."""

    provider: str
    payment_id: uuid.UUID
    trade_no: str
    outcome: str  # "succeeded" | "failed"
    amount_minor: int
    currency: str
    sent_at: datetime.datetime
    # Who paid, as the provider names the payer's account ("alipay:2088...", "wechatpay:<openid>",
    # "sandbox:<stable id per buyer>"); "" when it does not say. Anti-brushing compares by it.
    payer_account: str = ""

    @property
    def key(self) -> str:
        """Identity of the notification: the same attempt reported twice has the same key."""
        return f"{self.provider}:{self.trade_no}:{self.outcome}"


class PaymentProvider(Protocol):
    name: str
    # True when the provider's hosted page is served by this app at payments:pay.
    hosted_here: bool

    def start(self, payment, *, request=None) -> str:
        """Return the URL to send the buyer to for paying `payment`."""

    def verify_notification(self, headers, raw_body: bytes) -> Notification:
        """Return the verified notification or raise NotificationRefused."""

    def refund(self, payment, *, amount, refund_no: str, reason: str = ""):
        """Ask the provider to return `amount` of `payment`; a RefundResult (remote.py).
        `refund_no` is ours and unique per refund, so a retried request is the same refund."""


SANDBOX = "sandbox"
# Alipay and WeChat Pay are offered only when all their settings are present (is_configured).
DEFAULT_PROVIDERS = {
    "alipay": "villagemarket.payments.providers.alipay.AlipayProvider",
    "wechatpay": "villagemarket.payments.providers.wechatpay.WechatPayProvider",
    SANDBOX: "villagemarket.payments.providers.sandbox.SandboxProvider",
}


def sandbox_enabled() -> bool:
    """The sandbox simulates payments: on in development, off in production unless a staging
    site sets PAYMENTS_SANDBOX_ENABLED=1."""
    return bool(getattr(settings, "PAYMENTS_SANDBOX_ENABLED", False))


def _provider_class(path: str):
    module_path, _dot, class_name = path.rpartition(".")
    return getattr(import_module(module_path), class_name)


def _usable(name: str, path: str) -> bool:
    if name == SANDBOX:
        return sandbox_enabled()
    is_configured = getattr(_provider_class(path), "is_configured", None)
    return is_configured() if is_configured is not None else True


def provider_paths() -> dict[str, str]:
    """The providers that may be used, by name: the sandbox only while it is enabled, a real
    provider only when all its settings are present."""
    paths = getattr(settings, "PAYMENT_PROVIDERS", None) or DEFAULT_PROVIDERS
    return {name: path for name, path in paths.items() if _usable(name, path)}


def default_provider_name() -> str:
    """PAYMENT_DEFAULT_PROVIDER, else the first usable provider (real ones first), else ""."""
    configured = getattr(settings, "PAYMENT_DEFAULT_PROVIDER", "")
    return configured or next(iter(provider_paths()), "")


def get_provider(name: str) -> PaymentProvider:
    """The provider registered (and usable) under `name`; KeyError when there is none."""
    return _provider_class(provider_paths()[name])()
