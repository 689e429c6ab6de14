"""Payment use-cases: open a payment, start a sandbox attempt, act on a verified notification.

Only `receive_notification` (a provider's verified, server-to-server notification) marks a payment
paid or failed. Each notification takes effect once: its key (provider:trade_no:outcome) is stored
under a unique index before anything changes, and the status moves with a guarded UPDATE.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.core.errors import Conflict, NotFound
from villagemarket.core.money import Money
from villagemarket.ledger import services as ledger

from . import hooks, states
from .models import EventKind, Payment, PaymentEvent, PaymentStatus, SandboxNotification
from .providers import (
    Notification,
    NotificationRefused,
    default_provider_name,
    get_provider,
    sandbox,
    sandbox_enabled,
)
from .providers.remote import RefundNotification
from .states import PAYABLE, PaymentEventName

logger = logging.getLogger(__name__)

SUCCEED, FAIL, CLOSE = PaymentEventName.SUCCEED, PaymentEventName.FAIL, PaymentEventName.CLOSE


@dataclass(frozen=True)
class NotificationResult:
    """What became of a verified notification: processed, duplicate (no effect) or rejected."""

    result: str
    status: str
    reason: str = ""

    @property
    def http_status(self) -> int:
        return 400 if self.result == "rejected" else 200


def create_payment(*, buyer, amount: Money, description: str = "", provider: str = "") -> Payment:
    """Open a pending payment for a checkout (called inside checkout's transaction)."""
    # No savepoint inside checkout's transaction: a failure here fails the whole checkout anyway.
    with transaction.atomic(savepoint=False):
        payment = Payment.objects.create(
            buyer=buyer,
            amount_minor=amount.minor,
            currency=amount.currency,
            description=description[:200],
            provider=provider or default_provider_name(),
        )
        PaymentEvent.objects.create(
            payment=payment,
            kind=EventKind.CREATED,
            provider=payment.provider,
            amount_minor=payment.amount_minor,
            currency=payment.currency,
        )
        return payment


def close_payments(payment_ids) -> int:
    """Close the given payments: whatever they covered can no longer be paid (the buyer cancelled
    the checkout, or the unpaid timeout closed its orders).

    Called by the app above (orders) inside the transaction that closed what the payments covered;
    it decides which payments have nothing left to pay. One guarded UPDATE: only pending or failed
    payments move. A provider's success that still arrives later is honoured (a closed payment may
    still succeed) and flagged needs_refund, so no money is lost. Returns how many were closed.
    """
    ids = sorted({pk for pk in payment_ids if pk})
    if not ids:
        return 0
    return Payment.objects.filter(pk__in=ids, status__in=states.sources(CLOSE)).update(
        status=states.target(CLOSE)
    )


def start_sandbox_attempt(
    *, buyer, public_id, outcome: str, notify_url: str, plan: sandbox.DeliveryPlan | None = None
) -> list[SandboxNotification]:
    """The buyer pays (or makes the payment fail) on the sandbox page.

    Records a provider trade number per attempt and queues the signed notifications the plan asks
    for; they are delivered after commit. Nothing here marks the payment paid.
    """
    if outcome not in ("succeeded", "failed"):
        raise ValueError(outcome)
    if not sandbox_enabled():  # a production site: no simulated payment may succeed
        raise NotFound(_("No such payment."))
    plan = plan or sandbox.DeliveryPlan.from_settings()
    with transaction.atomic():
        payment = Payment.objects.filter(
            public_id=public_id, buyer=buyer, provider=sandbox.NAME
        ).first()
        if payment is None:
            raise NotFound(_("No such payment."))
        if payment.status not in PAYABLE:
            raise Conflict(
                _("This payment is %(status)s.") % {"status": payment.get_status_display()}
            )
        if not hooks.may_be_paid(payment):
            raise Conflict(_("These orders were closed; they can no longer be paid."))
        deliver_after = timezone.now() + timezone.timedelta(seconds=plan.delay_seconds)
        rows, trade_no = [], ""
        for this_outcome, new_attempt in plan.outcomes(outcome):
            if new_attempt:
                trade_no = sandbox.new_trade_no()
            body = sandbox.notification_body(payment, trade_no=trade_no, outcome=this_outcome)
            rows.append(
                SandboxNotification.objects.create(
                    payment=payment,
                    body=body.decode(),
                    notify_url=notify_url,
                    deliver_after=deliver_after,
                )
            )
        PaymentEvent.objects.create(
            payment=payment,
            kind=EventKind.STARTED,
            provider=sandbox.NAME,
            trade_no=trade_no,
            detail={
                "outcome": outcome,
                "delay": plan.delay_seconds,
                "twice": plan.twice,
                "out_of_order": plan.out_of_order,
            },
        )
        from .delivery import enqueue_delivery

        for row in rows:
            transaction.on_commit(functools.partial(enqueue_delivery, row.pk))
        return rows


def receive_notification(provider_name: str, headers, raw_body: bytes) -> NotificationResult:
    """Verify a provider's notification and act on it once; NotificationRefused if not genuine."""
    try:
        provider = get_provider(provider_name)
    except KeyError:
        raise NotificationRefused(
            "unknown_provider", "No such payment provider.", status=404
        ) from None
    notification = provider.verify_notification(headers, raw_body)
    body_sha256 = hashlib.sha256(raw_body).hexdigest()
    if isinstance(notification, RefundNotification):
        result = apply_refund_notification(notification, body_sha256=body_sha256)
    else:
        result = apply_notification(notification, body_sha256=body_sha256)
    # Only now, after it took effect: a delivery that failed half-way may be retried by the
    # provider under the same id (Alipay's notify_id, WeChat Pay's event id).
    remember = getattr(provider, "remember", None)
    if remember is not None:
        remember(notification)
    return result


def _event(payment: Payment, kind: str, n: Notification, body_sha256: str, **extra) -> PaymentEvent:
    return PaymentEvent.objects.create(
        payment=payment,
        kind=kind,
        provider=n.provider,
        trade_no=n.trade_no,
        amount_minor=n.amount_minor,
        currency=n.currency,
        body_sha256=body_sha256,
        **extra,
    )


def apply_notification(n: Notification, *, body_sha256: str = "") -> NotificationResult:
    """Act once on a verified notification: succeeded -> paid, orders to ship; failed -> failed.

    A duplicate (same provider, trade no and outcome) is recorded and ignored, also when two arrive
    at the same instant: the second waits on the unique key and then finds it taken. A failure never
    downgrades a payment that has succeeded.
    """
    with transaction.atomic():
        payment = Payment.objects.filter(public_id=n.payment_id, provider=n.provider).first()
        if payment is None:
            raise NotificationRefused("unknown_payment", "No such payment for this provider.")
        if (n.amount_minor, n.currency) != (payment.amount_minor, payment.currency):
            _event(
                payment, EventKind.REJECTED, n, body_sha256, detail={"reason": "amount_mismatch"}
            )
            logger.warning(
                "payment %s: notification amount %s %s does not match",
                payment.public_id,
                n.amount_minor,
                n.currency,
            )
            return NotificationResult("rejected", payment.status, "amount_mismatch")
        try:
            with transaction.atomic():
                _event(
                    payment,
                    EventKind.NOTIFICATION_RECEIVED,
                    n,
                    body_sha256,
                    notification_key=n.key,
                    detail={"outcome": n.outcome, "sent_at": n.sent_at.isoformat()},
                )
        except IntegrityError:
            _event(
                payment,
                EventKind.DUPLICATE_IGNORED,
                n,
                body_sha256,
                detail={"reason": "already_processed"},
            )
            payment.refresh_from_db(fields=["status"])
            return NotificationResult("duplicate", payment.status, "already_processed")
        if n.outcome == "succeeded":
            return _succeed(payment, n, body_sha256)
        return _fail(payment, n, body_sha256)


class _RefundRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def apply_refund_notification(
    n: RefundNotification, *, body_sha256: str = ""
) -> NotificationResult:
    """Act once on a verified refund notification: the app that asked for the refund (through
    hooks.refund_reported) finishes or fails it. A duplicate (same refund number and outcome)
    is recorded and ignored, as for payments; one naming a refund we never asked for, or another
    amount, is recorded as rejected and changes nothing."""
    with transaction.atomic():
        payment = Payment.objects.filter(public_id=n.payment_id, provider=n.provider).first()
        if payment is None:
            raise NotificationRefused("unknown_payment", "No such payment for this provider.")
        detail = {"refund_no": n.refund_no, "outcome": n.outcome, "sent_at": n.sent_at.isoformat()}
        report = hooks.RefundReport(
            provider=n.provider,
            refund_no=n.refund_no,
            outcome=n.outcome,
            amount_minor=n.amount_minor,
            currency=n.currency,
            provider_refund_id=n.provider_refund_id,
            why=n.why,
        )
        try:
            with transaction.atomic():  # the key and what the refund's owner made of it, or neither
                try:
                    with transaction.atomic():
                        _event(
                            payment,
                            EventKind.NOTIFICATION_RECEIVED,
                            n,
                            body_sha256,
                            notification_key=n.key,
                            detail=detail,
                        )
                except IntegrityError:
                    raise _RefundRefused("already_processed") from None
                answer = hooks.refund_reported(report)
                if answer in ("unknown_refund", "amount_mismatch"):
                    raise _RefundRefused(answer)
        except _RefundRefused as refused:
            duplicate = refused.reason == "already_processed"
            kind = EventKind.DUPLICATE_IGNORED if duplicate else EventKind.REJECTED
            _event(payment, kind, n, body_sha256, detail={**detail, "reason": refused.reason})
            if not duplicate:
                logger.warning("refund notification %s refused: %s", n.refund_no, refused.reason)
            return NotificationResult(
                "duplicate" if duplicate else "rejected", payment.status, refused.reason
            )
        if answer == "duplicate":
            return NotificationResult("duplicate", payment.status, "refund_already_ended")
        return NotificationResult("processed", payment.status)


def _succeed(payment: Payment, n: Notification, body_sha256: str) -> NotificationResult:
    moved = Payment.objects.filter(pk=payment.pk, status__in=states.sources(SUCCEED)).update(
        status=states.target(SUCCEED),
        paid_at=Now(),
        provider_trade_no=n.trade_no,
        payer_account=n.payer_account[:80],
    )
    if not moved:
        # Paid by another attempt already: money was taken twice; flag it to be returned.
        _event(
            payment,
            EventKind.REJECTED,
            n,
            body_sha256,
            detail={"reason": "already_paid_other_trade"},
        )
        Payment.objects.filter(pk=payment.pk).update(needs_refund=True)
        return NotificationResult("rejected", PaymentStatus.SUCCEEDED, "already_paid_other_trade")
    _event(payment, EventKind.SUCCEEDED, n, body_sha256)
    ledger.record_payment_captured(
        reference=str(payment.public_id), provider=payment.provider, amount=payment.amount
    )
    outcome = hooks.payment_succeeded(payment)
    if outcome.needs_refund:
        Payment.objects.filter(pk=payment.pk).update(needs_refund=True)
        logger.warning(
            "payment %s paid after %d of its parts closed: needs refund",
            payment.public_id,
            outcome.closed_parts,
        )
    return NotificationResult("processed", PaymentStatus.SUCCEEDED)


def _fail(payment: Payment, n: Notification, body_sha256: str) -> NotificationResult:
    moved = Payment.objects.filter(pk=payment.pk, status__in=states.sources(FAIL)).update(
        status=states.target(FAIL)
    )
    if not moved:
        # Out of order (a failed attempt reported after success) or already failed: no downgrade.
        payment.refresh_from_db(fields=["status"])
        _event(
            payment,
            EventKind.DUPLICATE_IGNORED,
            n,
            body_sha256,
            detail={"reason": f"status_{payment.status}"},
        )
        return NotificationResult("duplicate", payment.status, f"status_{payment.status}")
    _event(payment, EventKind.FAILED, n, body_sha256)
    hooks.payment_failed(payment)
    return NotificationResult("processed", PaymentStatus.FAILED)
