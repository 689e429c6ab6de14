"""The dashboard's periods as pure rules (no ORM): which site-time-zone days each one covers.

"today" is the current day from 00:00 (Asia/Shanghai, the site's time zone); "7d" and "30d" are
that many days ending today, so "7d" on a Monday afternoon covers Tuesday of last week 00:00 to
now. The chart needs more than one point, so "today" draws the last 7 days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from villagemarket.core.errors import Invalid

PERIODS = {"today": (1, _("Today")), "7d": (7, _("7 days")), "30d": (30, _("30 days"))}
DEFAULT = "7d"
CHART_MIN_DAYS = 7


@dataclass(frozen=True)
class Period:
    code: str
    first_day: dt.date
    last_day: dt.date  # today, inclusive

    @property
    def days(self) -> list[dt.date]:
        n = (self.last_day - self.first_day).days + 1
        return [self.first_day + dt.timedelta(days=i) for i in range(n)]

    @property
    def chart_days(self) -> list[dt.date]:
        n = max(len(self.days), CHART_MIN_DAYS)
        return [self.last_day - dt.timedelta(days=n - 1 - i) for i in range(n)]

    def bounds(self, tz: dt.tzinfo, days: list[dt.date] | None = None) -> tuple:
        """[start, end) as aware datetimes: the first day's midnight to the midnight after."""
        days = days or self.days
        start = dt.datetime.combine(days[0], dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end


def parse_period(code: str | None, today: dt.date, *, strict: bool = False) -> Period:
    """The period called `code` ending `today`. Unknown codes fall back to 7 days on pages
    (a stale link still shows something); the API (`strict`) refuses them naming `period`."""
    code = code or DEFAULT
    if code not in PERIODS:
        if strict:
            raise Invalid(
                _("Choose a period: today, 7d or 30d."),
                fields={"period": [str(_("Choose a period: today, 7d or 30d."))]},
            )
        code = DEFAULT
    length = PERIODS[code][0]
    return Period(code, today - dt.timedelta(days=length - 1), today)


def ratio(part: int, whole: int) -> float | None:
    """part / whole, None when there is no whole (a conversion with no visitors is unknown,
    not zero)."""
    return part / whole if whole else None
