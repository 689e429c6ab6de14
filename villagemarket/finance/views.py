"""Operator finance pages: the daily figures (with a chart and CSV) and the reconciliation
report. Operators only; reads only."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from villagemarket.accounts.permissions import operator_required
from villagemarket.core.errors import Invalid
from villagemarket.core.exports import CSV_CONTENT_TYPE, csv_bytes

from . import charts, figures
from .reconciliation import reconcile


def column_names() -> list[tuple[str, str]]:
    return [
        ("gmv", _("GMV")),
        ("escrow_held", _("Escrow held")),
        ("commission", _("Commission")),
        ("refunds", _("Refunds")),
        ("pending_payouts", _("Pending payouts")),
        ("payouts", _("Payouts")),
    ]


def _asked(request):
    """The figures asked for, or (None, the error) when the query is not valid."""
    try:
        start, end = figures.parse_range(request.GET.get("start"), request.GET.get("end"))
        currency = figures.parse_currency(request.GET.get("currency"))
    except Invalid as exc:
        return None, exc
    return figures.daily_figures(start, end, currency), None


@operator_required
def dashboard(request):
    """GMV, escrow held, commission, refunds, pending and paid payouts per day, with a chart."""
    data, error = _asked(request)
    context = {
        "data": data,
        "error": error,
        "start": request.GET.get("start", data.start.isoformat() if data else ""),
        "end": request.GET.get("end", data.end.isoformat() if data else ""),
        "currency": request.GET.get("currency", data.currency if data else ""),
        "columns": column_names(),
    }
    if data:
        names = dict(column_names())
        context["chart"] = charts.daily_lines(
            [d.day for d in data.days],
            {
                names[key]: [getattr(d, key).minor for d in data.days]
                for key in ("gmv", "escrow_held", "refunds")
            },
            data.currency,
        )
        context["rows"] = [
            (d.day, [(label, getattr(d, key)) for key, label in column_names()]) for d in data.days
        ]
        totals = data.totals
        context["totals"] = [(label, totals[key]) for key, label in column_names()]
    return render(request, "finance/dashboard.html", context, status=400 if error else 200)


@operator_required
def export_csv(request):
    """The dashboard's table as CSV (a spreadsheet-safe file, amounts in major units)."""
    data, error = _asked(request)
    if error:
        return HttpResponse(
            "\n".join([error.message, *(str(r) for rs in error.fields.values() for r in rs)]),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    header = [_("Day"), *(label for _key, label in column_names())]
    rows = [[d.day, *(getattr(d, key) for key, _label in column_names())] for d in data.days]
    response = HttpResponse(csv_bytes(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="finance-{data.currency}-{data.start}-{data.end}.csv"'
    )
    return response


@operator_required
def reconciliation(request):
    """The ledger against payments, orders, refunds and withdrawals: every mismatch, or "all
    agree"."""
    return render(request, "finance/reconciliation.html", {"report": reconcile()})
