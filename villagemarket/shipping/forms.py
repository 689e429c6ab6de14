"""Seller forms for freight templates: amounts typed in yuan, provinces picked from the region
tree."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from villagemarket.core.money import Money
from villagemarket.core.validation import no_control_characters, visible_text
from villagemarket.regions.models import Level, Region

from .models import Basis


def province_choices():
    return list(
        Region.objects.filter(level=Level.PROVINCE).order_by("code").values_list("code", "name")
    )


class YuanField(forms.CharField):
    """An amount in yuan ("8" or "8.50") cleaned to minor units (fen); never a float. Money.parse
    is bounded, so "1e999990" or a 5,000-digit number is refused at once."""

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        try:
            amount = Money.parse(value)
        except (ValueError, TypeError):
            raise forms.ValidationError(_("Enter an amount such as 8 or 8.50.")) from None
        if amount.minor < 0:
            raise forms.ValidationError(_("The amount cannot be negative."))
        return amount.minor


class TemplateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=60, validators=[no_control_characters, visible_text]
    )
    basis = forms.ChoiceField(label=_("Charged"), choices=Basis.choices)
    is_default = forms.BooleanField(label=_("Use for my checkouts (default)"), required=False)
    excluded_provinces = forms.MultipleChoiceField(label=_("Not delivered to"), required=False)
    first = YuanField(label=_("Everywhere else: first item / kg (yuan)"))
    additional = YuanField(label=_("each further item / kg (yuan)"))
    free_above = YuanField(label=_("free from order amount (yuan, optional)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["excluded_provinces"].choices = province_choices()


class RuleForm(forms.Form):
    provinces = forms.MultipleChoiceField(label=_("Provinces"), required=False)
    first = YuanField(label=_("First item / kg (yuan)"), required=False)
    additional = YuanField(label=_("Each further (yuan)"), required=False)
    free_above = YuanField(label=_("Free from (yuan)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provinces"].choices = province_choices()

    def clean(self):
        data = super().clean()
        if data.get("provinces") and (data.get("first") is None or data.get("additional") is None):
            raise forms.ValidationError(_("Give both prices for the chosen provinces."))
        return data


RuleFormSet = forms.formset_factory(RuleForm, extra=2, max_num=40)


def initial_from(template) -> tuple[dict, list[dict]]:
    """Form and formset initial data from a saved template."""
    rules = list(template.rules.all())
    default = next((r for r in rules if not r.provinces), None)

    def yuan(minor):
        return "" if minor is None else str(Money(minor, template.currency).amount)

    form = {
        "name": template.name,
        "basis": template.basis,
        "is_default": template.is_default,
        "excluded_provinces": template.excluded_provinces,
        "first": yuan(default.first_minor) if default else "",
        "additional": yuan(default.additional_minor) if default else "",
        "free_above": yuan(default.free_above_minor) if default else "",
    }
    specific = [
        {
            "provinces": r.provinces,
            "first": yuan(r.first_minor),
            "additional": yuan(r.additional_minor),
            "free_above": yuan(r.free_above_minor),
        }
        for r in rules
        if r.provinces
    ]
    return form, specific
