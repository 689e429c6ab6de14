"""When to ask the tracking provider again (pure: no ORM). docs/tracking.md.

A parcel is polled every TRACKING_POLL_MINUTES while news keeps coming. Each poll that brings
nothing new doubles the wait (up to TRACKING_MAX_POLL_MINUTES): a parcel sitting in a depot over
a weekend costs a few calls, not hundreds. An error (provider down, quota) waits
TRACKING_ERROR_MINUTES, doubled per failure in a row, up to the same cap. A delivered parcel,
or an order that is no longer shipped, is not polled again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    poll_minutes: int = 60
    max_poll_minutes: int = 12 * 60
    error_minutes: int = 10


def next_poll_at(
    now: datetime.datetime,
    schedule: Schedule,
    *,
    unchanged_polls: int = 0,
    failures: int = 0,
    finished: bool = False,
) -> datetime.datetime | None:
    """The next poll's time, or None when the parcel needs no more polls.

    `unchanged_polls` counts polls in a row that brought no new event (0 right after news);
    `failures` counts failed polls in a row (0 after a success)."""
    if finished:
        return None
    if failures > 0:
        minutes = schedule.error_minutes * 2 ** min(failures - 1, 16)
    else:
        minutes = schedule.poll_minutes * 2 ** min(unchanged_polls, 16)
    return now + datetime.timedelta(minutes=min(minutes, schedule.max_poll_minutes))
