"""Region pages (public), the picker's htmx partial, and the operators' village CSV import."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from villagemarket.accounts.permissions import operator_required
from villagemarket.regions import selectors
from villagemarket.regions.forms import (
    RegionJumpForm,
    RegionPickerWidget,
    VillageImportForm,
    picker_context,
)
from villagemarket.regions.models import Level
from villagemarket.regions.services import import_villages

CHILDREN_PER_PAGE = 60
SHOPS_PER_PAGE = 30
_FIELD_NAME = re.compile(r"^[A-Za-z_][\w-]{0,63}$")


def _page_number(request, name: str) -> str:
    value = request.GET.get(name, "1")
    return value if value.isascii() and value.isdigit() else "1"


@require_GET
def index(request):
    provinces = selectors.with_shop_counts(selectors.provinces())
    context = {"provinces": provinces, "q": "", "jump": RegionJumpForm()}
    return render(request, "regions/index.html", context)


@require_GET
def go(request):
    """Where the index's picker form lands without JavaScript: the chosen region's page."""
    form = RegionJumpForm(request.GET)
    if form.is_valid():
        return redirect("regions:detail", code=form.cleaned_data["region"].code)
    for error in form.errors.get("region", []):
        messages.error(request, error)
    return redirect("regions:index")


@require_GET
def search(request):
    q = request.GET.get("q", "").strip()[:50]
    return render(request, "regions/search.html", {"q": q, "results": list(selectors.search(q))})


def _child_label(level: int) -> str:
    labels = {
        Level.PROVINCE: _("Prefectures"),
        Level.PREFECTURE: _("Counties"),
        Level.COUNTY: _("Townships"),
        Level.TOWNSHIP: _("Villages and communities"),
    }
    return labels.get(level, "")


@require_GET
def detail(request, code: str):
    region = selectors.region_by_code(code)
    ancestors = selectors.ancestors(region)
    children = Paginator(selectors.children(region), CHILDREN_PER_PAGE).get_page(
        _page_number(request, "page")
    )
    children.object_list = selectors.with_shop_counts(children.object_list)
    shops = Paginator(selectors.shops_under(region), SHOPS_PER_PAGE).get_page(
        _page_number(request, "shops_page")
    )
    context = {
        "region": region,
        "ancestors": ancestors,
        "township": next((a for a in ancestors if a.level == Level.TOWNSHIP), None),
        "children": children,
        "children_label": _child_label(region.level),
        "shops": shops,
        "product_total": sum(shop.product_count for shop in shops.object_list),
        # Each pager keeps the other list's page in its links.
        "keep_children": f"&page={children.number}" if children.number > 1 else "",
        "keep_shops": f"&shops_page={shops.number}" if shops.number > 1 else "",
    }
    return render(request, "regions/detail.html", context)


def _level_param(request, name: str, default: int) -> int | None:
    value = request.GET.get(name, str(default))
    # ASCII only: "²".isdigit() is True but int("²") raises.
    return int(value) if value in ("1", "2", "3", "4", "5") else None


@require_GET
def picker(request):
    """The picker re-rendered for the chosen code (htmx swaps it in place of the old one)."""
    field = request.GET.get("field", "region")
    html_id = request.GET.get("id", "") or f"id_{field}"
    min_level = _level_param(request, "min_level", Level.VILLAGE)
    max_level = _level_param(request, "max_level", min_level or Level.VILLAGE)
    if not _FIELD_NAME.match(field) or not _FIELD_NAME.match(html_id):
        return HttpResponseBadRequest(_("field and id must be simple names"))
    if min_level is None or max_level is None or min_level > max_level:
        return HttpResponseBadRequest(_("min_level and max_level must be 1-5, min ≤ max"))
    code = request.GET.get("code") or RegionPickerWidget().value_from_datadict(
        request.GET, {}, field
    )
    code = code if code.isascii() and code.isdigit() else ""
    context = picker_context(field, code, min_level, max_level, html_id)
    return render(request, "regions/_picker.html", context)


@operator_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    result = None
    form = VillageImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = import_villages(form.cleaned_data["file"])
    return render(request, "regions/import.html", {"form": form, "result": result})
