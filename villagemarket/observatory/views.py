"""Observatory pages: public aggregates, operator-only shop figures, imports and recompute."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from villagemarket.accounts.permissions import is_operator, operator_required
from villagemarket.core.errors import DomainError, NotFound
from villagemarket.core.forms import message_domain_error
from villagemarket.observatory import charts, selectors
from villagemarket.observatory.explain import explain_town, explain_village
from villagemarket.observatory.exports import export_table
from villagemarket.observatory.models import Cluster, TownDesignation
from villagemarket.observatory.services.statistics_import import import_statistics, remove_import
from villagemarket.observatory.tasks import compute_year_task

PAGE_SIZE = 50


def _year_param(text: str) -> int | None:
    """A year typed in a query or form: four ASCII digits, else None ("²" or "٢٠١٨" are not)."""
    return int(text) if re.fullmatch(r"[0-9]{4}", text or "") else None


def _year(request) -> int | None:
    years = selectors.computed_years()
    chosen = _year_param(request.GET.get("year", ""))
    if chosen in years:
        return chosen
    return years[-1] if years else None


def _context(request, **extra) -> dict:
    return {"years": selectors.computed_years(), "year": _year(request), **extra}


def index(request):
    year = _year(request)
    summary = selectors.national_summary()
    ctx = _context(request, summary=summary)
    ctx["series"] = charts.time_series(
        {
            _("computed"): {r["year"]: r["villages"] for r in summary},
            _("AliResearch"): {r["year"]: r["published_villages"] for r in summary},
        }
    )
    if year:
        data = selectors.area_breakdown(year)
        ctx["area"] = data
        links = {
            r["code"]: reverse("observatory:area", args=[r["code"]]) + f"?year={year}"
            for r in data["rows"]
        }
        ctx["tiles"] = charts.province_tiles(
            {r["code"]: r["villages"] for r in data["rows"]}, links
        )
    return render(request, "observatory/index.html", ctx)


def area(request, code: str):
    try:
        region = selectors.region_or_404(code)
        year = _year(request)
        data = selectors.area_breakdown(year, region) if year and region.level <= 3 else None
    except NotFound as exc:
        raise Http404(exc.message) from exc
    history = selectors.area_history(region)
    ctx = _context(
        request, region=region, area=data, series=charts.time_series({region.short_name: history})
    )
    if year:
        ctx["towns"] = selectors.town_designations(year, area=code)[:100]
        ctx["top_villages"] = selectors.village_designations(year, area=code)[:20]
    return render(request, "observatory/area.html", ctx)


def villages(request):
    year = _year(request)
    area_code = request.GET.get("area", "")
    try:
        qs = selectors.village_designations(year, area=area_code) if year else None
    except NotFound as exc:
        raise Http404(exc.message) from exc
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")) if qs is not None else None
    return render(
        request, "observatory/villages.html", _context(request, page=page, area_code=area_code)
    )


def village(request, code: str):
    try:
        profile = selectors.village_profile(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    for d in profile["history"]:
        d.explanation = explain_village(d)
    ctx = _context(request, **profile)
    ctx["series"] = charts.time_series(
        {_("active shops"): {d.year: d.active_shops for d in profile["history"]}}
    )
    year = _year(request)
    # Which shops sold how much is the sellers' business: operators only.
    if is_operator(request.user) and year:
        ctx["shops"] = selectors.shop_figures(code, year)
    township = profile["village"].township_code
    if year:
        ctx["town"] = (
            TownDesignation.objects.filter(year=year, township_id=township)
            .select_related("rule_set")
            .first()
        )
        if ctx["town"]:
            ctx["town_explanation"] = explain_town(ctx["town"])
    return render(request, "observatory/village.html", ctx)


def clusters(request):
    year = _year(request)
    rows = selectors.clusters(year) if year else []
    return render(request, "observatory/clusters.html", _context(request, clusters=rows))


def cluster(request, year: int, number: int):
    found = Cluster.objects.filter(year=year, number=number).first()
    if found is None:
        raise Http404
    members = selectors.cluster_villages(found)
    return render(
        request, "observatory/cluster.html", _context(request, cluster=found, members=members)
    )


def export(request, table: str, fmt: str):
    year = request.GET.get("year", "")
    try:
        data, content_type = export_table(
            table,
            year=_year_param(year),
            fmt=fmt,
            area=request.GET.get("area", ""),
            staff=is_operator(request.user),
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise Http404(exc.message) from exc
        return HttpResponse(
            exc.message, status=exc.status, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="observatory-{table}-{year or "all"}.{fmt}"'
    )
    return response


@operator_required
def operator(request):
    return render(
        request,
        "observatory/operator.html",
        _context(request, imports=selectors.imports()[:200], rule_sets=selectors.rule_sets()),
    )


@operator_required
@require_POST
def upload_import(request):
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError(_("Choose a CSV file."), fields={"file": [_("required")]})
        text = upload.read().decode("utf-8-sig")
        batches = import_statistics(
            text=text,
            source=request.POST.get("source", ""),
            file_name=upload.name,
            created_by=request.user,
        )
    except UnicodeDecodeError:
        messages.error(request, _("The file must be UTF-8 text."))
    except DomainError as exc:
        message_domain_error(request, exc)
    else:
        rows = sum(b.rows for b in batches)
        messages.success(request, _("Imported %(rows)s rows.") % {"rows": rows})
    return redirect("observatory:operator")


@operator_required
@require_POST
def delete_import(request):
    year = request.POST.get("year", "")
    try:
        remove_import(source=request.POST.get("source", ""), year=_year_param(year))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Import removed. Recompute the year to update the designations.")
        )
    return redirect("observatory:operator")


@operator_required
@require_POST
def compute(request):
    year = _year_param(request.POST.get("year", ""))
    if year is None or not 2000 <= year <= 2100:
        messages.error(request, _("Choose a year between 2000 and 2100."))
        return redirect("observatory:operator")
    compute_year_task.enqueue(year, request.POST.get("rules") or None)
    messages.success(
        request, _("Recomputing %(year)s; the reports update when it is done.") % {"year": year}
    )
    return redirect("observatory:operator")
