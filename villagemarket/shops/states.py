"""The life of a shop as pure rules (no ORM): which operator decision may move which status where.

pending -> active (approve); pending or active -> suspended (suspend); suspended -> active
(reinstate). A move that is not listed raises IllegalTransition (HTTP 409). Services apply the
move with one guarded UPDATE on the status they read, so two operators cannot both succeed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from villagemarket.core.errors import IllegalTransition


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


def next_status(status: str, event: str) -> Status:
    """The status after `event`, or IllegalTransition naming both when the shop cannot take it."""
    try:
        return Status(TRANSITIONS[(status, event)])
    except KeyError:
        raise IllegalTransition(
            str(_("A shop that is %(status)s cannot be given the decision “%(event)s”."))
            % {"status": Status(status).label, "event": Event(event).label},
        ) from None


def allowed_events(status: str) -> list[Event]:
    """Decisions an operator may take on a shop in `status` (only the buttons that work)."""
    return [Event(event) for (source, event) in TRANSITIONS if source == status]
