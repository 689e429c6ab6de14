"""Notification use-cases: tell people about an event (inside its transaction), read the inbox,
choose channels.

`notify` is what every listener calls. It writes the in-site notification and one Delivery per
outside channel in the caller's transaction (the outbox): the news commits with the event or
not at all. The worker's periodic sweep sends the deliveries afterwards (sending.py; every
`--interval`, 60 seconds by default): a request pays only for a few inserts.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid, NotFound

from . import events, rules
from .models import Delivery, Notification, Preference

# A person who opened a page within this many seconds is "on the site": news meant for the
# absent (new messages) is not e-mailed or texted to them.
ONLINE_SECONDS = 300
_SEEN_KEY = "notifications:seen:{}"


def notify(
    kind: str,
    key: str,
    recipients: Iterable[int],
    *,
    params: Mapping[str, object] | None = None,
    url: str = "",
) -> list[Notification]:
    """Tell each recipient (user ids) about event `key` of type `kind`, in the current
    transaction: an in-site notification, and a Delivery for each outside channel their
    preferences (or the type's defaults) choose and they have an address for.

    A recipient already told about `key` is skipped (a repeated event notifies nobody twice).
    Returns the notifications written.
    """
    kind_def = events.event_type(kind)
    ids = sorted({int(pk) for pk in recipients if pk})
    if not ids:
        return []
    users = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .only("email", "mobile")
    }
    written = _create_once(
        [
            Notification(recipient_id=pk, kind=kind, key=key, params=dict(params or {}), url=url)
            for pk in ids
            if pk in users
        ]
    )
    if written:
        Delivery.objects.bulk_create(_deliveries(kind_def, written, users))
    return written


def _deliveries(kind_def: events.EventType, written: list[Notification], users: dict):
    """One Delivery per outside channel each person gets (their choice or the default)."""
    ids = [n.recipient_id for n in written]
    choices = {
        p.user_id: (p.email, p.sms)
        for p in Preference.objects.filter(user_id__in=ids, kind=kind_def.code)
    }
    online = _online(ids) if kind_def.offline_only else set()
    now = timezone.now()
    for notification in written:
        user = users[notification.recipient_id]
        for channel in rules.channels(
            kind_def,
            choices.get(user.pk),
            email=user.email,
            mobile=user.mobile,
            online=user.pk in online,
        ):
            yield Delivery(
                notification=notification,
                channel=channel,
                address=user.email if channel == events.EMAIL else user.mobile,
                next_attempt_at=now,
            )


def _create_once(notifications: list[Notification]) -> list[Notification]:
    """Insert the notifications whose (key, recipient) is new; return those inserted."""
    if not notifications:
        return []
    key = notifications[0].key
    told = set(
        Notification.objects.filter(
            key=key, recipient_id__in=[n.recipient_id for n in notifications]
        ).values_list("recipient_id", flat=True)
    )
    fresh = [n for n in notifications if n.recipient_id not in told]
    if not fresh:
        return []
    # A savepoint: should the same event be told at the same moment by another transaction, the
    # unique (key, recipient) refuses one insert; then each is tried alone and the losers skipped,
    # without spoiling the caller's transaction.
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(fresh)
    except IntegrityError:
        created = []
        for notification in fresh:
            try:
                with transaction.atomic():
                    notification.save(force_insert=True)
                    created.append(notification)
            except IntegrityError:
                notification.pk = None
        return created


# --- on the site or away --------------------------------------------------------------------
def mark_seen(user_id: int) -> None:
    """Record that `user_id` is on the site (the header calls it on each page). Written at most
    once a minute per person: the mark lasts ONLINE_SECONDS from the last write."""
    key = _SEEN_KEY.format(user_id)
    now = time.time()
    last = cache.get(key)
    if last is None or now - last > 60:
        cache.set(key, now, timeout=ONLINE_SECONDS)


def _online(user_ids: list[int]) -> set[int]:
    found = cache.get_many([_SEEN_KEY.format(pk) for pk in user_ids])
    return {pk for pk in user_ids if _SEEN_KEY.format(pk) in found}


# --- the inbox ------------------------------------------------------------------------------
def mark_read(user, notification_id: int) -> Notification:
    """Mark one of `user`'s notifications read (again is fine). Someone else's is NotFound."""
    updated = Notification.objects.filter(
        pk=notification_id, recipient=user, read_at__isnull=True
    ).update(read_at=Now())
    try:
        notification = Notification.objects.get(pk=notification_id, recipient=user)
    except Notification.DoesNotExist:
        raise NotFound(_("No such notification.")) from None
    notification.newly_read = bool(updated)
    return notification


def mark_all_read(user) -> int:
    """Mark every unread notification of `user` read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=Now())


# --- preferences ----------------------------------------------------------------------------
def set_preferences(user, choices: Mapping[str, tuple[bool, bool]]) -> None:
    """Save `user`'s (email, sms) choice for each named event type; types not named keep theirs.
    An unknown type is refused naming it, and nothing is saved."""
    unknown = sorted(set(choices) - set(events.EVENT_TYPES))
    if unknown:
        raise Invalid(
            _("Unknown event type: %(kinds)s.") % {"kinds": ", ".join(unknown)},
            fields={"kind": [_("Unknown event type: %(kinds)s.") % {"kinds": ", ".join(unknown)}]},
        )
    with transaction.atomic():
        for kind, (email, sms) in choices.items():
            Preference.objects.update_or_create(
                user=user, kind=kind, defaults={"email": bool(email), "sms": bool(sms)}
            )
