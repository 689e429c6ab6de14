"""The life of a refund request as pure rules (no ORM), in the shape of orders/states.py.

requested -> (approve) awaiting_return -> (ship back) returning -> (confirm return) paying
requested -> (approve, no goods to return) paying
requested -> (reject) rejected;  any open request -> (escalate) disputed -> paying | rejected
Before shipment the request is granted at once (GRANT: requested -> paying).
paying -> (the provider paid) refunded;  paying -> (the provider failed it) failed
failed -> (an operator retries) paying;  failed -> (the provider paid after all) refunded
"paying" means the money is on its way back through the payment provider (two phases, see
services/refund_payments.py). A provider that refuses at once sends the request back to the status
it came from (`status_before_paying`), which is not a move of this table.
A move that is not listed raises IllegalTransition (HTTP 409).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from villagemarket.core.errors import IllegalTransition


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("waiting for the seller")
    AWAITING_RETURN = "awaiting_return", _("waiting for the goods to be sent back")
    RETURNING = "returning", _("goods on their way back")
    DISPUTED = "disputed", _("in arbitration")
    PAYING = "paying", _("being paid back")
    FAILED = "failed", _("refund failed at the payment provider")
    REFUNDED = "refunded", _("refunded")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("withdrawn")


class RefundEvent(models.TextChoices):
    GRANT = "grant", _("grant at once")
    APPROVE = "approve", _("approve")
    APPROVE_RETURN = "approve_return", _("approve with return")
    REJECT = "reject", _("reject")
    SHIP_BACK = "ship_back", _("send the goods back")
    CONFIRM_RETURN = "confirm_return", _("confirm the goods came back")
    ESCALATE = "escalate", _("ask the operator to arbitrate")
    DECIDE_REFUND = "decide_refund", _("decide for the buyer")
    DECIDE_REJECT = "decide_reject", _("decide for the seller")
    CANCEL = "cancel", _("withdraw")
    PROVIDER_PAID = "provider_paid", _("paid back by the payment provider")
    PROVIDER_FAILED = "provider_failed", _("failed at the payment provider")
    RETRY_PAYMENT = "retry_payment", _("ask the payment provider again")


class RefundKind(models.TextChoices):
    MONEY_ONLY = "money_only", _("refund only")
    RETURN = "return", _("return the goods and refund")


class RefundReason(models.TextChoices):
    NO_REASON = "no_reason", _("7-day no-reason return")
    NOT_RECEIVED = "not_received", _("did not arrive")
    DAMAGED = "damaged", _("arrived damaged")
    NOT_AS_DESCRIBED = "not_as_described", _("not as described")
    CHANGED_MIND = "changed_mind", _("no longer wanted (before shipment)")
    OTHER = "other", _("other")


# Requests still being decided: at most one per order, and they pause the order's automatic
# confirmation.
OPEN = (
    RefundStatus.REQUESTED,
    RefundStatus.AWAITING_RETURN,
    RefundStatus.RETURNING,
    RefundStatus.DISPUTED,
)
# Granted refunds whose money has not reached the buyer yet (on its way, or failed at the
# provider). Like open ones they hold their amount (refund_claimed_minor), so what is being paid
# back can never be asked for twice; unlike them they are decided, so the buyer may ask for what
# is left meanwhile (several granted refunds before shipment are paid back side by side).
IN_PAYMENT = (RefundStatus.PAYING, RefundStatus.FAILED)

TRANSITIONS: dict[tuple[str, str], str] = {
    (RefundStatus.REQUESTED, RefundEvent.GRANT): RefundStatus.PAYING,
    (RefundStatus.REQUESTED, RefundEvent.APPROVE): RefundStatus.PAYING,
    (RefundStatus.REQUESTED, RefundEvent.APPROVE_RETURN): RefundStatus.AWAITING_RETURN,
    (RefundStatus.REQUESTED, RefundEvent.REJECT): RefundStatus.REJECTED,
    (RefundStatus.REQUESTED, RefundEvent.CANCEL): RefundStatus.CANCELLED,
    (RefundStatus.REQUESTED, RefundEvent.ESCALATE): RefundStatus.DISPUTED,
    (RefundStatus.AWAITING_RETURN, RefundEvent.SHIP_BACK): RefundStatus.RETURNING,
    (RefundStatus.AWAITING_RETURN, RefundEvent.CANCEL): RefundStatus.CANCELLED,
    (RefundStatus.AWAITING_RETURN, RefundEvent.ESCALATE): RefundStatus.DISPUTED,
    (RefundStatus.RETURNING, RefundEvent.CONFIRM_RETURN): RefundStatus.PAYING,
    (RefundStatus.RETURNING, RefundEvent.ESCALATE): RefundStatus.DISPUTED,
    # A rejected buyer may still ask the operator (the amount is claimed again, guarded).
    (RefundStatus.REJECTED, RefundEvent.ESCALATE): RefundStatus.DISPUTED,
    (RefundStatus.DISPUTED, RefundEvent.DECIDE_REFUND): RefundStatus.PAYING,
    (RefundStatus.DISPUTED, RefundEvent.DECIDE_REJECT): RefundStatus.REJECTED,
    (RefundStatus.PAYING, RefundEvent.PROVIDER_PAID): RefundStatus.REFUNDED,
    (RefundStatus.PAYING, RefundEvent.PROVIDER_FAILED): RefundStatus.FAILED,
    (RefundStatus.FAILED, RefundEvent.RETRY_PAYMENT): RefundStatus.PAYING,
    # The provider reports it paid after all (e.g. an ABNORMAL refund the operator settled there).
    (RefundStatus.FAILED, RefundEvent.PROVIDER_PAID): RefundStatus.REFUNDED,
}

# The statuses a refund may be paid from, i.e. go back to when the provider refuses at once.
PAYABLE_FROM = tuple(
    source for (source, _event), target in TRANSITIONS.items() if target == RefundStatus.PAYING
)


def next_refund_status(status: str, event: str) -> RefundStatus:
    """The status after `event`, or IllegalTransition naming both."""
    try:
        return RefundStatus(TRANSITIONS[(status, event)])
    except KeyError:
        raise IllegalTransition(
            str(_("A refund that is %(status)s cannot %(event)s."))
            % {"status": RefundStatus(status).label, "event": RefundEvent(event).label},
        ) from None


def allowed_refund_events(status: str) -> list[RefundEvent]:
    """Events a refund in `status` may take, for showing only the buttons that work."""
    return [RefundEvent(event) for (source, event) in TRANSITIONS if source == status]


def no_reason_return_allowed(products: list[tuple[bool, bool, bool]]) -> bool:
    """7-day no-reason return: every product (returns_7day, is_perishable, is_custom_made) of
    the order offers it and none is perishable or custom-made."""
    return bool(products) and all(
        offers and not perishable and not custom for offers, perishable, custom in products
    )


def refundable_minor(total_minor: int, claimed_minor: int) -> int:
    """What may still be asked for: the order's total less what open or paid refunds hold."""
    return max(total_minor - claimed_minor, 0)
