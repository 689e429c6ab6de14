"""Seller pages for freight templates (/seller/shipping/<shop_slug>/)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from villagemarket.core.errors import DomainError
from villagemarket.core.forms import apply_domain_error
from villagemarket.shops.permissions import shop_member_required

from . import selectors, services
from .forms import RuleFormSet, TemplateForm, initial_from


def _rules(form: TemplateForm, formset) -> list[dict]:
    rules = [
        {
            "provinces": [],
            "first_minor": form.cleaned_data["first"],
            "additional_minor": form.cleaned_data["additional"],
            "free_above_minor": form.cleaned_data["free_above"],
        }
    ]
    for row in formset.cleaned_data:
        if row and row.get("provinces"):
            rules.append(
                {
                    "provinces": row["provinces"],
                    "first_minor": row["first"],
                    "additional_minor": row["additional"],
                    "free_above_minor": row.get("free_above"),
                }
            )
    return rules


@shop_member_required()
@require_http_methods(["GET", "POST"])
def template_list(request):
    """The shop's templates and a form to add one."""
    return _edit(request, None)


@shop_member_required()
@require_http_methods(["GET", "POST"])
def template_edit(request, pk: int):
    template = selectors.templates_of(request.shop).filter(pk=pk).first()
    if template is None:
        raise Http404(_("No such freight template."))
    return _edit(request, template)


def _edit(request, template):
    form_initial, rules_initial = initial_from(template) if template else ({"basis": "piece"}, [])
    form = TemplateForm(request.POST or None, initial=form_initial)
    formset = RuleFormSet(request.POST or None, initial=rules_initial, prefix="rules")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.save_template(
                shop=request.shop,
                template_id=template.pk if template else None,
                name=form.cleaned_data["name"],
                basis=form.cleaned_data["basis"],
                excluded_provinces=form.cleaned_data["excluded_provinces"],
                is_default=form.cleaned_data["is_default"],
                rules=_rules(form, formset),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Freight template saved."))
            return redirect("shipping:templates", shop_slug=request.shop.slug)
    return render(
        request,
        "shipping/templates.html",
        {
            "shop": request.shop,
            "templates": selectors.templates_of(request.shop),
            "form": form,
            "formset": formset,
            "editing": template,
        },
        status=422 if request.method == "POST" else 200,
    )


@shop_member_required()
@require_POST
def template_delete(request, pk: int):
    try:
        services.delete_template(shop=request.shop, template_id=pk)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    messages.success(request, _("Freight template deleted."))
    return redirect("shipping:templates", shop_slug=request.shop.slug)
