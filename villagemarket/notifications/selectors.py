"""Reads of the inbox and of preferences, shared by the pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from villagemarket.shops.models import ShopMember

from . import events
from .models import Notification, Preference


def inbox(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    """`user`'s notifications, newest first."""
    notifications = Notification.objects.filter(recipient=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class Choice:
    """One row of the preferences page: an event type and what this person chose (or the
    default)."""

    kind: str
    audience: str
    label: str
    email: bool
    sms: bool
    offline_only: bool


def preferences(user) -> list[Choice]:
    """Every event type with `user`'s e-mail and SMS choice (the default where none saved)."""
    saved = {p.kind: p for p in Preference.objects.filter(user=user)}
    rows = []
    for kind in events.EVENT_TYPES.values():
        choice = saved.get(kind.code)
        rows.append(
            Choice(
                kind=kind.code,
                audience=kind.audience,
                label=str(kind.label),
                email=choice.email if choice else kind.email,
                sms=choice.sms if choice else kind.sms,
                offline_only=kind.offline_only,
            )
        )
    return rows


def shown_audiences(user) -> list[str]:
    """Which groups of event types the settings page shows: the buyer's always, the seller's
    to members of a shop."""
    if ShopMember.objects.filter(user=user).exists():
        return [events.SELLER, events.BUYER]
    return [events.BUYER]
