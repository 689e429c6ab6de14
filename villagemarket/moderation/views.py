"""Moderation pages: a signed-in person reports content; operators work the queue, edit the
terms and the settings. Thin: every rule is in services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from villagemarket.accounts.permissions import operator_required
from villagemarket.core.errors import DomainError
from villagemarket.core.forms import apply_domain_error

from . import hooks, selectors, services
from .forms import DecisionForm, ReportForm, SettingsForm, TermForm
from .models import Term
from .screening import current_settings

QUEUE_LIMIT = 100


@login_required
@require_http_methods(["GET", "POST"])
def report(request, kind: str, pk: int):
    owner = hooks.kind(kind)
    ref = owner.describe(pk) if owner else None
    if ref is None:
        raise Http404(_("Nothing to report here."))
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.report(reporter=request.user, kind=kind, object_id=pk, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Thank you: an operator will look at it."))
            return redirect(ref.url)
    elif request.method == "POST":
        status = 422
    context = {"form": form, "ref": ref, "label": owner.label}
    return render(request, "moderation/report.html", context, status=status)


def _queue_page(request, *, status=200, failed=None, form=None, error=""):
    cases = list(selectors.queue()[:QUEUE_LIMIT])
    for case in cases:
        case.ref = selectors.describe(case)
        owner = hooks.kind(case.kind)
        case.label = owner.label if owner else case.kind
        case.form = form if failed == case.pk and form is not None else DecisionForm()
    context = {
        "cases": cases,
        "count": selectors.queue().count(),
        "decided": selectors.decided(20),
        "failed": failed,
        "error": error,
    }
    return render(request, "moderation/queue.html", context, status=status)


@operator_required
def queue(request):
    return _queue_page(request)


@require_POST
@operator_required
def decide(request, pk: int):
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if not form.is_valid():
        return _queue_page(request, status=422, failed=pk, form=form)
    try:
        services.decide(request.user, pk, approve=approve, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        apply_domain_error(form, exc)
        return _queue_page(request, status=exc.status, failed=pk, form=form, error=exc.message)
    messages.success(request, _("Approved.") if approve else _("Rejected."))
    return redirect("operator_moderation:queue")


def _terms_page(request, form, *, editing=None, status=200):
    context = {
        "terms": selectors.terms(),
        "form": form,
        "editing": editing,
        "settings_form": SettingsForm(
            initial={f: getattr(current_settings(), f) for f in services.SETTING_FIELDS}
        ),
    }
    return render(request, "moderation/terms.html", context, status=status)


@operator_required
@require_http_methods(["GET", "POST"])
def terms(request):
    form = TermForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.create_term(request.user, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Term added; it applies at once."))
                return redirect("operator_moderation:terms")
        return _terms_page(request, form, status=422)
    return _terms_page(request, form)


@operator_required
@require_http_methods(["GET", "POST"])
def term_edit(request, pk: int):
    term = Term.objects.filter(pk=pk).first()
    if term is None:
        raise Http404(_("No such term."))
    initial = {f: getattr(term, f) for f in services.TERM_FIELDS}
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_term(request.user, pk, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Term saved; it applies at once."))
                return redirect("operator_moderation:terms")
        return _terms_page(request, form, editing=term, status=422)
    return _terms_page(request, form, editing=term)


@require_POST
@operator_required
def term_delete(request, pk: int):
    try:
        services.delete_term(request.user, pk)
    except DomainError as exc:
        raise Http404(exc.message) from None
    messages.success(request, _("Term removed."))
    return redirect("operator_moderation:terms")


@require_POST
@operator_required
def settings_edit(request):
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            services.update_settings(request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("operator_moderation:terms")
    context = {"terms": selectors.terms(), "form": TermForm(), "settings_form": form}
    return render(request, "moderation/terms.html", context, status=422)
