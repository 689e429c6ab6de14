"""The life of a payment as pure rules (no ORM): which event may move which status where.

pending -> succeeded | failed | closed; failed -> succeeded (the buyer tried again) | closed;
closed -> succeeded (a provider's success that arrives after the orders closed is honoured and
flagged for refund, so no money is lost). A move that is not listed raises IllegalTransition.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from villagemarket.core.errors import IllegalTransition


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("awaiting payment")
    SUCCEEDED = "succeeded", _("paid")
    FAILED = "failed", _("failed")
    CLOSED = "closed", _("closed")


class PaymentEventName(models.TextChoices):
    SUCCEED = "succeed", _("succeed")
    FAIL = "fail", _("fail")
    CLOSE = "close", _("close")


# (from status, event) -> to status.
TRANSITIONS: dict[tuple[str, str], str] = {
    (PaymentStatus.PENDING, PaymentEventName.SUCCEED): PaymentStatus.SUCCEEDED,
    (PaymentStatus.FAILED, PaymentEventName.SUCCEED): PaymentStatus.SUCCEEDED,
    (PaymentStatus.CLOSED, PaymentEventName.SUCCEED): PaymentStatus.SUCCEEDED,
    (PaymentStatus.PENDING, PaymentEventName.FAIL): PaymentStatus.FAILED,
    (PaymentStatus.PENDING, PaymentEventName.CLOSE): PaymentStatus.CLOSED,
    (PaymentStatus.FAILED, PaymentEventName.CLOSE): PaymentStatus.CLOSED,
}

# A buyer may start an attempt on these.
PAYABLE = (PaymentStatus.PENDING, PaymentStatus.FAILED)


def next_status(status: str, event: str) -> PaymentStatus:
    """The status after `event`, or IllegalTransition naming both when the payment cannot do it."""
    try:
        return PaymentStatus(TRANSITIONS[(status, event)])
    except KeyError:
        raise IllegalTransition(
            str(_("A payment that is %(status)s cannot %(event)s."))
            % {"status": PaymentStatus(status).label, "event": PaymentEventName(event).label},
        ) from None


def sources(event: str) -> list[PaymentStatus]:
    """The statuses from which `event` is allowed: the WHERE of its guarded UPDATE."""
    return [PaymentStatus(source) for (source, name) in TRANSITIONS if name == event]


def target(event: str) -> PaymentStatus:
    """Where `event` leads (every payment event has one target)."""
    (to,) = {to for (_source, name), to in TRANSITIONS.items() if name == event}
    return PaymentStatus(to)
