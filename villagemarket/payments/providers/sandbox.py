"""The built-in sandbox provider: a hosted page in this app and HMAC-signed notifications.

Signature: hex HMAC-SHA256(secret, f"{timestamp}.{raw_body}") in X-Sandbox-Signature, with the unix
timestamp in X-Sandbox-Timestamp. A notification whose timestamp is more than five minutes away from
our clock (either way) is refused, so a captured notification cannot be replayed later.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import secrets
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .base import OUTCOMES, Notification, NotificationRefused

NAME = "sandbox"
TIMESTAMP_HEADER = "X-Sandbox-Timestamp"
SIGNATURE_HEADER = "X-Sandbox-Signature"
TOLERANCE_SECONDS = 300


def secret() -> bytes:
    """SANDBOX_PAYMENT_SECRET, or one derived from SECRET_KEY under its own label."""
    configured = getattr(settings, "SANDBOX_PAYMENT_SECRET", "")
    if configured:
        return configured.encode()
    return (
        salted_hmac("villagemarket.payments.sandbox", "notification-signing", algorithm="sha256")
        .hexdigest()
        .encode()
    )


def sign(timestamp: int, raw_body: bytes) -> str:
    message = str(timestamp).encode() + b"." + raw_body
    return hmac.new(secret(), message, hashlib.sha256).hexdigest()


def signed_headers(raw_body: bytes, *, now: int | None = None) -> dict[str, str]:
    """The headers a delivery sends with `raw_body`, signed at `now` (unix seconds)."""
    timestamp = int(time.time()) if now is None else now
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(timestamp, raw_body),
    }


def new_trade_no() -> str:
    return f"SBX{timezone.now():%Y%m%d%H%M%S}{secrets.token_hex(6).upper()}"


def payer_account(buyer_id: int) -> str:
    """The sandbox's payer account: a stable fake id per buyer (as Alipay's buyer_id is per
    Alipay user), derived from the sandbox secret so it reveals nothing about the account."""
    digest = hmac.new(secret(), f"payer:{buyer_id}".encode(), hashlib.sha256).hexdigest()
    return f"{NAME}:{digest[:16]}"


def notification_body(payment, *, trade_no: str, outcome: str) -> bytes:
    """The JSON body of a notification, as the bytes that are signed and sent."""
    body = {
        "payment": str(payment.public_id),
        "trade_no": trade_no,
        "outcome": outcome,
        "amount_minor": payment.amount_minor,
        "currency": payment.currency,
        "sent_at": timezone.now().isoformat(),
        "payer": payer_account(payment.buyer_id),
    }
    return json.dumps(body, separators=(",", ":")).encode()


def _header(headers, name: str) -> str:
    value = headers.get(name)
    if value is None:  # a plain dict from the in-process transport
        lowered = {str(k).lower(): v for k, v in headers.items()}
        value = lowered.get(name.lower(), "")
    return str(value or "")


def _check_signature(headers, raw_body: bytes, now: float) -> None:
    stamp, signature = _header(headers, TIMESTAMP_HEADER), _header(headers, SIGNATURE_HEADER)
    if not stamp or not signature:
        raise NotificationRefused(
            "unsigned", "The timestamp or signature header is missing.", status=403
        )
    try:
        timestamp = int(stamp)
    except ValueError:
        raise NotificationRefused(
            "bad_timestamp", "The timestamp is not unix seconds.", status=403
        ) from None
    # Signature first: an unsigned party learns nothing about our clock window.
    if not hmac.compare_digest(sign(timestamp, raw_body), signature.strip().lower()):
        raise NotificationRefused(
            "bad_signature", "The signature does not match the body.", status=403
        )
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise NotificationRefused("stale", "The timestamp is more than 5 minutes away.", status=403)


def _parse(raw_body: bytes) -> Notification:
    try:
        data = json.loads(raw_body)
        outcome = data["outcome"]
        amount = data["amount_minor"]
        if outcome not in OUTCOMES or not isinstance(amount, int) or isinstance(amount, bool):
            raise ValueError("outcome or amount")
        trade_no = str(data["trade_no"])
        if not trade_no or len(trade_no) > 64:
            raise ValueError("trade_no")
        return Notification(
            provider=NAME,
            payment_id=uuid.UUID(str(data["payment"])),
            trade_no=trade_no,
            outcome=outcome,
            amount_minor=amount,
            currency=str(data["currency"]),
            sent_at=datetime.datetime.fromisoformat(str(data["sent_at"])),
            payer_account=str(data.get("payer", ""))[:80],
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise NotificationRefused(
            "malformed", f"The body is not a sandbox notification ({exc})."
        ) from None


@dataclass(frozen=True)
class DeliveryPlan:
    """How the sandbox delivers one attempt's notifications (for tests and the demo)."""

    delay_seconds: int = 0
    twice: bool = False
    out_of_order: bool = False

    @classmethod
    def from_settings(cls) -> DeliveryPlan:
        configured = getattr(settings, "SANDBOX_DELIVERY", None) or {}
        return cls(
            delay_seconds=max(0, int(configured.get("delay", 0))),
            twice=bool(configured.get("twice", False)),
            out_of_order=bool(configured.get("out_of_order", False)),
        )

    def outcomes(self, outcome: str) -> list[tuple[str, bool]]:
        """(outcome, is_new_attempt) in delivery order.

        Out of order: an earlier failed attempt's notification arrives after this one's success.
        """
        sequence = [(outcome, True)]
        if self.twice:
            sequence.append((outcome, False))
        if self.out_of_order and outcome == "succeeded":
            sequence.append(("failed", True))
        return sequence


class SandboxProvider:
    name = NAME
    hosted_here = True

    def start(self, payment, *, request=None) -> str:
        return reverse("payments:pay", args=[payment.public_id])

    def verify_notification(
        self, headers, raw_body: bytes, *, now: float | None = None
    ) -> Notification:
        _check_signature(headers, raw_body, time.time() if now is None else now)
        return _parse(raw_body)

    def refund(self, payment, *, amount, refund_no: str, reason: str = ""):
        """The sandbox returns money at once: any amount above zero and up to the payment, in its
        currency, succeeds (what was already refunded is the ledger's to count, not the
        provider's); anything else is refused, as a real provider would."""
        from .remote import RefundResult

        valid = amount.currency == payment.currency and 0 < amount.minor <= payment.amount_minor
        return RefundResult(
            provider=NAME,
            refund_no=refund_no,
            amount_minor=amount.minor,
            currency=amount.currency,
            status="succeeded" if valid else "failed",
            provider_refund_id=f"SBXR{secrets.token_hex(8).upper()}" if valid else "",
            detail={} if valid else {"reason": "amount_out_of_range"},
        )
