"""The life of a shop as pure rules (no ORM): which operator decision may move which status where.

pending -> active (approve); pending or active -> suspended (suspend); suspended -> active
(reinstate). A move that is not listed raises IllegalTransition (HTTP 409). Services apply the
move with one guarded UPDATE on the status they read, so two operators cannot both succeed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from villagemarket.core.states import StateMachine


class Status(models.TextChoices):
    PENDING = "pending", _("pending review")
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")


class Event(models.TextChoices):
    APPROVE = "approve", _("approve")
    SUSPEND = "suspend", _("suspend")
    REINSTATE = "reinstate", _("reinstate")


# (from status, event) -> to status.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.PENDING, Event.APPROVE): Status.ACTIVE,
    (Status.PENDING, Event.SUSPEND): Status.SUSPENDED,
    (Status.ACTIVE, Event.SUSPEND): Status.SUSPENDED,
    (Status.SUSPENDED, Event.REINSTATE): Status.ACTIVE,
}


MACHINE = StateMachine(
    TRANSITIONS,
    status=Status,
    event=Event,
    refusal=_("A shop that is %(status)s cannot be given the decision “%(event)s”."),
)
next_status = MACHINE.next_status
allowed_events = MACHINE.allowed_events  # decisions an operator may take (only working buttons)
