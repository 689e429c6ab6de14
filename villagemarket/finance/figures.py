"""The operator's daily money figures, read from the ledger (docs/finance.md says which source
each column uses).

Days are market days in the site's time zone (00:00 Beijing time). Every figure comes from a
fixed number of grouped queries whatever the range: one over the range's ledger entries, one for
escrow's opening balance, three over withdrawal requests. A reversal counts against the column
of the transaction it reverses, on the day it was posted, so a reversed capture leaves GMV.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid
from villagemarket.core.money import BASE_CURRENCY, EXPONENTS, Money
from villagemarket.ledger.models import AccountKind, Entry, EventType, Withdrawal
from villagemarket.ledger.states import WithdrawalStatus

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DEFAULT_DAYS = 30
MAX_DAYS = 366

REFUND_EVENTS = {EventType.REFUND_BEFORE_SETTLEMENT, EventType.REFUND_AFTER_SETTLEMENT}


@dataclass(frozen=True)
class Day:
    """One market day's figures (flows over the day; escrow and pending payouts at its end)."""

    day: dt.date
    gmv: Money
    escrow_held: Money
    commission: Money
    refunds: Money
    pending_payouts: Money
    payouts: Money


@dataclass(frozen=True)
class DailyFigures:
    currency: str
    start: dt.date
    end: dt.date
    days: list[Day]

    def total(self, column: str) -> Money:
        """The range's total of a flow column (gmv, commission, refunds, payouts)."""
        return sum((getattr(d, column) for d in self.days), Money.zero(self.currency))

    @property
    def totals(self) -> dict[str, Money]:
        """Flows summed over the range; escrow and pending payouts as at the range's end."""
        last = self.days[-1]
        return {
            "gmv": self.total("gmv"),
            "escrow_held": last.escrow_held,
            "commission": self.total("commission"),
            "refunds": self.total("refunds"),
            "pending_payouts": last.pending_payouts,
            "payouts": self.total("payouts"),
        }


def today() -> dt.date:
    return timezone.localdate()


def parse_range(
    start: str | None, end: str | None, *, now: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The days asked for: `start` and `end` as YYYY-MM-DD, both included. Missing `end` is
    today, missing `start` is DEFAULT_DAYS days up to `end`. Invalid names each bad field."""
    errors: dict[str, list[str]] = {}
    dates: dict[str, dt.date | None] = {}
    for name, text in (("start", start), ("end", end)):
        text = (text or "").strip()
        dates[name] = None
        if not text:
            continue
        if ISO_DATE.fullmatch(text):
            with contextlib.suppress(ValueError):  # e.g. 2026-02-30
                dates[name] = dt.date.fromisoformat(text)
        if dates[name] is None:
            errors[name] = [_("Not a date: give it as YYYY-MM-DD, e.g. 2026-03-01.")]
    if errors:
        raise Invalid(_("The dates are not valid."), fields=errors)
    last = dates["end"] or (now or today())
    first = dates["start"] or last - dt.timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise Invalid(
            _("The first day is after the last day."),
            fields={"start": [_("On or before the last day.")]},
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise Invalid(
            _("Choose at most %(days)d days.") % {"days": MAX_DAYS},
            fields={
                "start": [_("At most %(days)d days before the last day.") % {"days": MAX_DAYS}]
            },
        )
    return first, last


def parse_currency(text: str | None) -> str:
    """A currency code the platform knows (CNY when none is given)."""
    code = (text or BASE_CURRENCY).strip().upper()
    if code not in EXPONENTS:
        raise Invalid(
            _("Unknown currency."),
            fields={"currency": [_("One of %(codes)s.") % {"codes": ", ".join(EXPONENTS)}]},
        )
    return code


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def daily_figures(start: dt.date, end: dt.date, currency: str = BASE_CURRENCY) -> DailyFigures:
    """Each day from `start` to `end` (both included): GMV, escrow held at the day's end,
    commission earned, refunds paid, payouts requested and not yet decided at the day's end, and
    payouts paid."""
    since, until = _midnight(start), _midnight(end + dt.timedelta(days=1))
    flows = _ledger_flows(since, until, currency)
    escrow_change = flows.pop("escrow_change")
    escrow = _escrow_before(since, currency)
    pending = _pending_before(since, currency)
    requested, decided = _withdrawal_moves(since, until, currency)
    days = []
    day = start
    while day <= end:
        escrow += escrow_change.get(day, 0)
        pending += requested.get(day, 0) - decided.get(day, 0)
        days.append(
            Day(
                day=day,
                gmv=Money(flows["gmv"].get(day, 0), currency),
                escrow_held=Money(escrow, currency),
                commission=Money(flows["commission"].get(day, 0), currency),
                refunds=Money(flows["refunds"].get(day, 0), currency),
                pending_payouts=Money(pending, currency),
                payouts=Money(flows["payouts"].get(day, 0), currency),
            )
        )
        day += dt.timedelta(days=1)
    return DailyFigures(currency=currency, start=start, end=end, days=days)


def _ledger_flows(since, until, currency: str) -> dict[str, dict[dt.date, int]]:
    """Per day: GMV (escrow credited by captures), commission (net credits to commission
    revenue), refunds (gateway clearing credited by refunds), payouts (bank credited by payouts)
    and escrow's net change. One grouped query; amounts as each column reads them (positive)."""
    rows = (
        Entry.objects.filter(
            currency=currency,
            transaction__created_at__gte=since,
            transaction__created_at__lt=until,
        )
        .annotate(
            day=TruncDate("transaction__created_at", tzinfo=timezone.get_current_timezone()),
            origin=Coalesce("transaction__reverses__event", "transaction__event"),
        )
        .values("day", "origin", "account__kind")
        .annotate(total=Sum("amount_minor"))
        .order_by()
    )
    out: dict[str, dict[dt.date, int]] = {
        name: {} for name in ("gmv", "commission", "refunds", "payouts", "escrow_change")
    }

    def add(column: str, day: dt.date, amount: int) -> None:
        out[column][day] = out[column].get(day, 0) + amount

    for row in rows:
        day, origin, kind, credited = row["day"], row["origin"], row["account__kind"], -row["total"]
        if kind == AccountKind.ESCROW:
            add("escrow_change", day, credited)
            if origin == EventType.PAYMENT_CAPTURED:
                add("gmv", day, credited)
        elif kind == AccountKind.COMMISSION_REVENUE:
            add("commission", day, credited)
        elif kind == AccountKind.GATEWAY_CLEARING and origin in REFUND_EVENTS:
            add("refunds", day, credited)
        elif kind == AccountKind.BANK and origin == EventType.PAYOUT:
            add("payouts", day, credited)
    return out


def _escrow_before(since, currency: str) -> int:
    held = Entry.objects.filter(
        account__kind=AccountKind.ESCROW,
        currency=currency,
        transaction__created_at__lt=since,
    ).aggregate(total=Sum("amount_minor"))["total"]
    return -(held or 0)


# A cancelled request records no time, so it counts on no day (docs/finance.md).
_COUNTED = Withdrawal.objects.exclude(status=WithdrawalStatus.CANCELLED)


def _pending_before(since, currency: str) -> int:
    """Requests made before `since` and not decided (paid or rejected) before it."""
    total = (
        _COUNTED.filter(currency=currency, created_at__lt=since)
        .filter(Q(decided_at__isnull=True) | Q(decided_at__gte=since))
        .aggregate(total=Sum("amount_minor"))["total"]
    )
    return total or 0


def _withdrawal_moves(since, until, currency: str):
    """Per day: amounts requested, and amounts decided (paid or rejected)."""
    tz = timezone.get_current_timezone()
    base = _COUNTED.filter(currency=currency)
    requested = (
        base.filter(created_at__gte=since, created_at__lt=until)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day")
        .annotate(total=Sum("amount_minor"))
        .order_by()
    )
    decided = (
        base.filter(decided_at__gte=since, decided_at__lt=until)
        .annotate(day=TruncDate("decided_at", tzinfo=tz))
        .values("day")
        .annotate(total=Sum("amount_minor"))
        .order_by()
    )
    return (
        {row["day"]: row["total"] for row in requested},
        {row["day"]: row["total"] for row in decided},
    )
