"""Forms of the pickup pages (the rules are in services; these only parse what was typed)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from villagemarket.shipping.couriers import active_couriers


def courier_choices() -> list[tuple[str, str]]:
    from .selectors import courier_name

    return [(c.code, courier_name(c.code)) for c in active_couriers()]


class BatchForm(forms.Form):
    courier = forms.ChoiceField(label=_("Courier"), choices=courier_choices)
    pickup_date = forms.DateField(
        label=_("Pickup date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RangeForm(forms.Form):
    start = forms.CharField(
        label=_("First number of the courier's range"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    overwrite = forms.BooleanField(label=_("Renumber parcels that have a number"), required=False)


class InviteForm(forms.Form):
    member = forms.SlugField(
        label=_("Partner shop's web address"),
        max_length=80,
        help_text=_("The part after /shops/ in the shop's address, e.g. wang-family."),
    )
