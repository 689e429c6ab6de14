"""The life of a product listing as pure rules (no ORM): which event may move which status where.

draft -> published <-> delisted. The shop's staff publish and delist; an operator may take any
listing down with a reason (moderation) and put a draft or delisted one on sale. A listing whose
text matches the operator's prohibited terms (moderation.screen) is held instead of published
(`held`: not for sale, not in search) until an operator approves (-> published) or rejects it
(-> delisted). A move that is not listed raises IllegalTransition (HTTP 409).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from villagemarket.core.states import StateMachine


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    DELISTED = "delisted", _("delisted")
    HELD = "held", _("held for review")


class Event(models.TextChoices):
    # Labels complete "A product that is <status> cannot be <event>."
    PUBLISH = "publish", pgettext_lazy("product event", "published")
    DELIST = "delist", pgettext_lazy("product event", "delisted")
    MODERATE_DELIST = "moderate_delist", pgettext_lazy("product event", "taken down by an operator")
    HOLD = "hold", pgettext_lazy("product event", "held for review")
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
    # Screening holds a listing when it would go (or is) on sale, and again when a held one is
    # edited; the operator's decision moves it on. The seller cannot delist a held listing.
    (Status.DRAFT, Event.HOLD): Status.HELD,
    (Status.DELISTED, Event.HOLD): Status.HELD,
    (Status.PUBLISHED, Event.HOLD): Status.HELD,
    (Status.HELD, Event.HOLD): Status.HELD,
    (Status.HELD, Event.MODERATE_PUBLISH): Status.PUBLISHED,
    (Status.HELD, Event.MODERATE_DELIST): Status.DELISTED,
}


MACHINE = StateMachine(
    TRANSITIONS,
    status=Status,
    event=Event,
    refusal=_("A product that is %(status)s cannot be %(event)s."),
    name_status_field=True,
)
next_status = MACHINE.next_status
allowed_events = MACHINE.allowed_events
