"""Hooks through which the app above payments (orders) takes part in a payment's life.

payments sits below orders in the layer order (docs/map.md): it never imports orders, never reads
its tables or its status strings. Instead orders registers these functions once, in
`OrdersConfig.ready()`. `payment_succeeded` and `payment_failed` run inside payments' own
transaction (a failure in them rolls the payment's change back too); `may_be_paid` is asked inside
the transaction that starts a payment attempt; `payment_parts` describes what a payment covers for
the payment page and API.

`refund_reported` is told, inside the transaction that records a provider's verified refund
notification, what the provider says about one of the refunds the app above asked for (by its
refund number) and answers what it made of it.

With nothing registered (payments alone, as in its own unit tests) a payment covers nothing, may
always be paid, success or failure has no further effect, and no refund is known.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from villagemarket.core.money import Money


@dataclass(frozen=True)
class PaymentPartLine:
    """One line of what a payment pays for, as the buyer sees it."""

    product_title: str
    variant_label: str
    unit_price: Money
    quantity: int


@dataclass(frozen=True)
class PaymentPart:
    """One part of a payment (a shop's order), described by the app that owns it."""

    id: int
    title: str
    status: str
    status_label: str
    awaiting_payment: bool
    freight: Money
    total: Money
    lines: list[PaymentPartLine] = field(default_factory=list)


@dataclass(frozen=True)
class SuccessOutcome:
    """What the payment's parts made of a success: `needs_refund` when some of them had closed
    (unpaid timeout, cancelled) so the money taken for them must go back."""

    needs_refund: bool = False
    closed_parts: int = 0


@dataclass(frozen=True)
class RefundReport:
    """A provider's verified word on one refund: `refund_no` is the number the app above gave
    it, `outcome` "succeeded" or "failed" (`why` says what the provider said)."""

    provider: str
    refund_no: str
    outcome: str
    amount_minor: int
    currency: str
    provider_refund_id: str = ""
    why: str = ""


REFUND_ANSWERS = ("processed", "duplicate", "pending", "unknown_refund", "amount_mismatch")


def _no_refunds(report: RefundReport) -> str:
    return "unknown_refund"


def _succeeded_nothing(payment) -> SuccessOutcome:
    return SuccessOutcome()


def _failed_nothing(payment) -> None:
    return None


def _always_payable(payment) -> bool:
    return True


def _no_parts(payment) -> list[PaymentPart]:
    return []


@dataclass
class _Registry:
    payment_succeeded: Callable[..., SuccessOutcome] = _succeeded_nothing
    payment_failed: Callable[..., None] = _failed_nothing
    may_be_paid: Callable[..., bool] = _always_payable
    payment_parts: Callable[..., list[PaymentPart]] = _no_parts
    refund_reported: Callable[[RefundReport], str] = _no_refunds


_registry = _Registry()


def register(
    *,
    payment_succeeded: Callable[..., SuccessOutcome],
    payment_failed: Callable[..., None],
    may_be_paid: Callable[..., bool],
    payment_parts: Callable[..., list[PaymentPart]],
    refund_reported: Callable[[RefundReport], str] = _no_refunds,
) -> None:
    """Connect the app that owns what payments pay for (called once, from an AppConfig.ready())."""
    _registry.payment_succeeded = payment_succeeded
    _registry.payment_failed = payment_failed
    _registry.may_be_paid = may_be_paid
    _registry.payment_parts = payment_parts
    _registry.refund_reported = refund_reported


def payment_succeeded(payment) -> SuccessOutcome:
    """The payment has just moved to succeeded (inside payments' transaction)."""
    return _registry.payment_succeeded(payment)


def payment_failed(payment) -> None:
    """The payment has just moved to failed (inside payments' transaction)."""
    _registry.payment_failed(payment)


def may_be_paid(payment) -> bool:
    """False when what the payment covers can no longer be paid (e.g. its orders closed)."""
    return _registry.may_be_paid(payment)


def refund_reported(report: RefundReport) -> str:
    """A provider reported on a refund (inside payments' transaction): one of REFUND_ANSWERS."""
    return _registry.refund_reported(report)


def payment_parts(payment) -> list[PaymentPart]:
    """What the payment covers, in the owner's order, for pages and the API."""
    return _registry.payment_parts(payment)
