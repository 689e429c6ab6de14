"""Operator pages: the brushing queue (decide flagged orders and reviews) and the rules page.
Thin: services decide, domain errors become messages or field errors; nothing typed is lost."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from villagemarket.accounts.permissions import operator_required
from villagemarket.core.errors import DomainError, Invalid
from villagemarket.core.validation import parse_db_id

from . import rules, selectors, services
from .models import FlagStatus

TABS = [FlagStatus.OPEN, FlagStatus.CLEARED, FlagStatus.CONFIRMED]


def _subject(value: str) -> dict | None:
    """ "order:12" -> {"order_id": 12}; "review:3" -> {"review_id": 3}; None when malformed."""
    kind, _sep, raw = (value or "").partition(":")
    pk = parse_db_id(raw)
    if pk is None or kind not in ("order", "review"):
        return None
    return {f"{kind}_id": pk}


@operator_required
@require_http_methods(["GET", "POST"])
def queue(request):
    """Flags grouped by shop with their figures; clear or confirm each order or review."""
    status = request.GET.get("status", FlagStatus.OPEN)
    if status not in TABS:
        status = FlagStatus.OPEN
    errors: dict[str, dict] = {}  # subject key -> {"note": typed text, "error": message}
    code = 200
    if request.method == "POST":
        key = request.POST.get("subject", "")
        note = request.POST.get("note", "")
        subject = _subject(key)
        try:
            if subject is None:
                raise Invalid(
                    _("Choose an order or a review from the list."),
                    fields={"subject": [_("No such order or review.")]},
                )
            decided = services.decide(
                operator=request.user,
                confirm=request.POST.get("decision") == "confirm",
                note=note,
                **subject,
            )
        except DomainError as exc:
            message = (exc.fields or {}).get("note", [exc.message])[0]
            errors[key] = {"note": note, "error": message}
            code = exc.status
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Decided %(n)d flag(s).") % {"n": decided},
            )
            return redirect("antifraud:queue")
    groups = selectors.queue(status)
    for group in groups:
        for subject_row in group.subjects:
            subject_row.form = errors.get(subject_row.key, {})
    return render(
        request,
        "antifraud/queue.html",
        {"groups": groups, "status": status, "tabs": [(t, FlagStatus(t).label) for t in TABS]},
        status=code,
    )


@operator_required
@require_http_methods(["GET", "POST"])
def rule_settings(request):
    """Every rule's threshold and window, editable; bad figures are shown back with the error."""
    typed: dict[str, dict] = {}
    code = 200
    if request.method == "POST":
        rule_code = request.POST.get("code", "")
        raw = {
            "threshold": request.POST.get("threshold", ""),
            "window_minutes": request.POST.get("window_minutes", "") or "0",
            "enabled": request.POST.get("enabled") == "on",
        }
        try:
            services.update_rule(
                operator=request.user,
                code=rule_code,
                threshold=_int(raw["threshold"], "threshold"),
                window_minutes=_int(raw["window_minutes"], "window_minutes"),
                enabled=raw["enabled"],
            )
        except DomainError as exc:
            typed[rule_code] = {**raw, "errors": exc.fields or {"threshold": [exc.message]}}
            messages.error(request, exc.message)
            code = 422
        else:
            messages.success(request, _("Saved. The rule applies to new events from now on."))
            return redirect("antifraud:rules")
    rows = []
    for rule in selectors.all_rules():
        rows.append(
            {
                "rule": rule,
                "label": rules.rule_label(rule.code),
                "unit": rules.threshold_label(rule.code),
                "has_window": rule.code not in (*rules.SPEED_RULES, rules.STAFF_REVIEW),
                "typed": typed.get(rule.code),
            }
        )
    return render(request, "antifraud/rules.html", {"rows": rows}, status=code)


def _int(value: str, field: str) -> int:
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise Invalid(_("Enter a whole number."), fields={field: [_("Enter a whole number.")]})
    return int(value)
