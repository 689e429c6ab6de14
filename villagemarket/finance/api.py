"""The finance API (mounted at /api/v1/finance/), for operators: the daily figures and the
reconciliation report. Amounts are integer minor units with their currency."""

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema

from villagemarket.accounts.auth import user_auth
from villagemarket.accounts.permissions import api_operator_required

from . import figures
from .reconciliation import reconcile

router = Router(tags=["finance"], auth=user_auth)


class FinanceDayOut(Schema):
    day: date
    gmv_minor: int
    escrow_held_minor: int
    commission_minor: int
    refunds_minor: int
    pending_payouts_minor: int
    payouts_minor: int


class FinanceDailyOut(Schema):
    currency: str
    start: date
    end: date
    days: list[FinanceDayOut]
    totals: FinanceDayOut


class FinanceMismatchOut(Schema):
    kind: str
    message: str
    order_id: int | None
    payment_id: int | None
    refund_id: int | None
    withdrawal_id: int | None
    transaction_id: int | None


class FinanceEscrowOut(Schema):
    currency: str
    captured_minor: int
    refunded_minor: int
    settled_minor: int
    expected_minor: int
    held_minor: int


class FinanceReconciliationOut(Schema):
    all_agree: bool
    checked: dict[str, int]
    escrow: list[FinanceEscrowOut]
    mismatches: list[FinanceMismatchOut]


def _day_out(day, values: dict) -> dict:
    return {"day": day, **{f"{key}_minor": money.minor for key, money in values.items()}}


@router.get("/daily", response=FinanceDailyOut)
@api_operator_required
def daily(request: HttpRequest, start: str = "", end: str = "", currency: str = ""):
    """Per day from `start` to `end` (YYYY-MM-DD, both included; default the last 30 days):
    GMV, escrow held at the day's end, commission, refunds, pending payouts at the day's end,
    payouts. `totals` sums the flows; its escrow and pending payouts are the last day's."""
    first, last = figures.parse_range(start, end)
    data = figures.daily_figures(first, last, figures.parse_currency(currency))
    columns = ("gmv", "escrow_held", "commission", "refunds", "pending_payouts", "payouts")
    return {
        "currency": data.currency,
        "start": data.start,
        "end": data.end,
        "days": [_day_out(d.day, {k: getattr(d, k) for k in columns}) for d in data.days],
        "totals": _day_out(data.end, data.totals),
    }


@router.get("/reconciliation", response=FinanceReconciliationOut)
@api_operator_required
def reconciliation(request: HttpRequest):
    """The ledger against payments, orders, refunds and withdrawals: `all_agree`, or every
    mismatch with a stable `kind` (docs/finance.md lists them)."""
    report = reconcile()
    return {
        "all_agree": report.all_agree,
        "checked": report.checked,
        "escrow": [
            {
                "currency": line.currency,
                "captured_minor": line.captured.minor,
                "refunded_minor": line.refunded.minor,
                "settled_minor": line.settled.minor,
                "expected_minor": line.expected.minor,
                "held_minor": line.held.minor,
            }
            for line in report.escrow
        ],
        "mismatches": [m.__dict__ for m in report.mismatches],
    }
