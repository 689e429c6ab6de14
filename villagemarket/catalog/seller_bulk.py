"""The bulk price/stock table: many SKUs edited in one page, saved once, all or nothing.

Only changed cells are sent to catalog.services.bulk_update_skus. A changed stock carries the
number the page showed (`expected_stock`), so a checkout that reserved units meanwhile makes the
save fail for that row instead of being overwritten (services/matrix.py explains it).
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from villagemarket.core.errors import DomainError, Invalid
from villagemarket.core.validation import parse_db_id
from villagemarket.shops.permissions import shop_member_required

from . import rules, selectors, services

PER_PAGE = 100


def _changes(post) -> tuple[list[dict], dict[int, dict], dict[str, list[str]]]:
    """(changes for the service, typed cells by SKU id, errors keyed like the service's)."""
    changes, typed, errors = [], {}, {}
    for raw in post.getlist("sku"):
        sku_id = parse_db_id(raw)  # an odd id finds nothing instead of reaching the database
        if sku_id is None:
            continue
        cells = {
            name: post.get(f"{name}-{sku_id}", "").strip()
            for name in ("price", "stock", "orig_price", "orig_stock")
        }
        typed[sku_id] = cells
        change: dict = {"sku_id": sku_id}
        if cells["price"] != cells["orig_price"]:
            try:
                change["price_minor"] = rules.parse_price(
                    cells["price"], field=f"{sku_id}.price_minor"
                ).minor
            except Invalid as exc:
                errors.update(exc.fields)
        if cells["stock"] != cells["orig_stock"]:
            try:
                change["stock"] = rules.parse_stock(cells["stock"], field=f"{sku_id}.stock")
                change["expected_stock"] = rules.parse_stock(cells["orig_stock"])
            except Invalid as exc:
                errors.update(exc.fields)
        if len(change) > 1:
            changes.append(change)
    return changes, typed, errors


def _cell_errors(fields: dict) -> dict[int, list[str]]:
    by_sku: dict[int, list[str]] = {}
    labels = {"price_minor": _("price"), "stock": _("stock")}
    for key, msgs in fields.items():
        m = re.fullmatch(r"(\d+)(?:\.(\w+))?", key)
        if m:
            label = labels.get(m.group(2) or "", "")
            by_sku.setdefault(int(m.group(1)), []).extend(
                f"{label}: {msg}" if label else msg for msg in msgs
            )
    return by_sku


@shop_member_required()
@require_http_methods(["GET", "POST"])
def bulk_table(request: HttpRequest) -> HttpResponse:
    """Every active SKU of the shop (filter by product text or low stock); edit cells, save once."""
    q = request.GET.get("q", "")[:100]
    low_only = request.GET.get("low") == "1"
    typed: dict[int, dict] = {}
    errors: dict[int, list[str]] = {}
    general: list[str] = []
    if request.method == "POST":
        changes, typed, field_errors = _changes(request.POST)
        if not changes and not field_errors:
            messages.info(request, _("Nothing changed."))
            return redirect(request.get_full_path())
        try:
            if field_errors:
                raise Invalid(_("Please correct the marked rows."), fields=field_errors)
            saved = services.bulk_update_skus(request.user, request.shop, changes)
        except DomainError as exc:
            errors = _cell_errors(exc.fields)
            general = [exc.message]
        else:
            n = len(saved)
            messages.success(
                request, ngettext("%(n)d variant saved.", "%(n)d variants saved.", n) % {"n": n}
            )
            return redirect(request.get_full_path())
    page = Paginator(selectors.shop_skus(request.shop, q=q, low_only=low_only), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = []
    for sku in page.object_list:
        original = {"price": str(sku.price.amount), "stock": str(sku.stock)}
        cells = typed.get(sku.pk) or {}
        rows.append(
            {
                "sku": sku,
                "price": cells.get("price", original["price"]),
                "stock": cells.get("stock", original["stock"]),
                # What the page shows now: a re-save after "stock changed meanwhile" is
                # checked against this, not against the stale number.
                "orig_price": original["price"],
                "orig_stock": original["stock"],
                "errors": errors.get(sku.pk, []),
            }
        )
    return render(
        request,
        "catalog/seller/bulk.html",
        {
            "shop": request.shop,
            "page": page,
            "rows": rows,
            "q": q,
            "low_only": low_only,
            "general_errors": general,
        },
        status=422 if general else 200,
    )
