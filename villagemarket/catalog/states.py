"""The life of a product listing as pure rules (no ORM): which event may move which status where.

draft -> published <-> delisted. The shop's staff publish and delist; an operator may take any
listing down with a reason (moderation) and put a draft or delisted one on sale. A move that is
not listed raises IllegalTransition (HTTP 409).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from villagemarket.core.errors import IllegalTransition


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    DELISTED = "delisted", _("delisted")


class Event(models.TextChoices):
    # Labels complete "A product that is <status> cannot be <event>."
    PUBLISH = "publish", pgettext_lazy("product event", "published")
    DELIST = "delist", pgettext_lazy("product event", "delisted")
    MODERATE_DELIST = "moderate_delist", pgettext_lazy("product event", "taken down by an operator")
    MODERATE_PUBLISH = (
        "moderate_publish",
        pgettext_lazy("product event", "put on sale by an operator"),
    )


# (from status, event) -> to status.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Event.PUBLISH): Status.PUBLISHED,
    (Status.DELISTED, Event.PUBLISH): Status.PUBLISHED,
    (Status.PUBLISHED, Event.DELIST): Status.DELISTED,
    # An operator may stop a draft before it goes live, and re-moderating updates the reason.
    (Status.DRAFT, Event.MODERATE_DELIST): Status.DELISTED,
    (Status.PUBLISHED, Event.MODERATE_DELIST): Status.DELISTED,
    (Status.DELISTED, Event.MODERATE_DELIST): Status.DELISTED,
    (Status.DRAFT, Event.MODERATE_PUBLISH): Status.PUBLISHED,
    (Status.DELISTED, Event.MODERATE_PUBLISH): Status.PUBLISHED,
}


def next_status(status: str, event: str) -> Status:
    """The status after `event`, or IllegalTransition naming both when the product cannot take
    it."""
    try:
        return Status(TRANSITIONS[(status, event)])
    except KeyError:
        raise IllegalTransition(
            str(_("A product that is %(status)s cannot be %(event)s."))
            % {"status": Status(status).label, "event": Event(event).label},
            fields={"status": [str(Status(status).label)]},
        ) from None


def allowed_events(status: str) -> list[Event]:
    """Events a product in `status` may take, for showing only the buttons that work."""
    return [Event(event) for (source, event) in TRANSITIONS if source == status]
