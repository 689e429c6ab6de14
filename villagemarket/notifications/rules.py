"""Delivery rules as pure functions (no ORM): which channels a notification goes out on, and
when a failed send is tried again."""

from __future__ import annotations

import datetime

from .events import EMAIL, SMS, EventType

# A failed send waits RETRY_BASE_SECONDS, then twice as long each time, at most RETRY_MAX_SECONDS;
# after MAX_ATTEMPTS tries it is given up (the in-site notification is still there).
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 3600
MAX_ATTEMPTS = 6


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the `attempts`-th failed try (1, 2, ...): 30 s, 60 s, 120 s, ...
    up to an hour."""
    seconds = RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)
    return datetime.timedelta(seconds=min(seconds, RETRY_MAX_SECONDS))


def gives_up(attempts: int) -> bool:
    """Whether a delivery that failed its `attempts`-th try is failed for good."""
    return attempts >= MAX_ATTEMPTS


def channels(
    kind: EventType,
    choice: tuple[bool, bool] | None,
    *,
    email: str | None,
    mobile: str | None,
    online: bool = False,
) -> list[str]:
    """The outside channels (besides the in-site inbox) for one person: their choice
    (email, sms) or the event type's default, only where they have an address, and none for an
    offline-only event while they are on the site."""
    if kind.offline_only and online:
        return []
    wants_email, wants_sms = choice if choice is not None else (kind.email, kind.sms)
    chosen = []
    if wants_email and email:
        chosen.append(EMAIL)
    if wants_sms and mobile:
        chosen.append(SMS)
    return chosen
