"""The life of a shop order as pure rules (no ORM): which event may move which status where.

awaiting_payment -> awaiting_shipment -> shipped -> completed, and closed (cancelled, unpaid
timeout, or refunded). A move that is not listed raises IllegalTransition (HTTP 409).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from villagemarket.core.states import StateMachine


class Status(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("awaiting payment")
    AWAITING_SHIPMENT = "awaiting_shipment", _("awaiting shipment")
    SHIPPED = "shipped", _("shipped")
    COMPLETED = "completed", _("completed")
    CLOSED = "closed", _("closed")


class Event(models.TextChoices):
    PAY = "pay", _("pay")
    CANCEL = "cancel", _("cancel")
    TIME_OUT = "time_out", _("unpaid timeout")
    SHIP = "ship", _("ship")
    EXTEND = "extend", _("extend auto-confirm")
    CONFIRM = "confirm", _("confirm receipt")
    AUTO_COMPLETE = "auto_complete", _("auto-complete")
    REFUND = "refund", _("refund in full")


# (from status, event) -> to status. EXTEND keeps the order shipped.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.AWAITING_PAYMENT, Event.PAY): Status.AWAITING_SHIPMENT,
    (Status.AWAITING_PAYMENT, Event.CANCEL): Status.CLOSED,
    (Status.AWAITING_PAYMENT, Event.TIME_OUT): Status.CLOSED,
    (Status.AWAITING_SHIPMENT, Event.SHIP): Status.SHIPPED,
    (Status.AWAITING_SHIPMENT, Event.REFUND): Status.CLOSED,
    (Status.SHIPPED, Event.EXTEND): Status.SHIPPED,
    (Status.SHIPPED, Event.CONFIRM): Status.COMPLETED,
    (Status.SHIPPED, Event.AUTO_COMPLETE): Status.COMPLETED,
    (Status.SHIPPED, Event.REFUND): Status.CLOSED,
}


MACHINE = StateMachine(
    TRANSITIONS,
    status=Status,
    event=Event,
    refusal=_("An order that is %(status)s cannot %(event)s."),
)
next_status = MACHINE.next_status
allowed_events = MACHINE.allowed_events
