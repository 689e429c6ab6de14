"""Forms of the order pages (validation proper lives in the services; these only shape input)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from villagemarket.regions.models import Level, Region


def township_choices():
    regions = (
        Region.objects.filter(level=Level.TOWNSHIP)
        .order_by("code")
        .values_list("code", "name", "county_code")
    )
    counties = dict(Region.objects.filter(level=Level.COUNTY).values_list("code", "name"))
    return [("", "—")] + [
        (code, f"{counties.get(county, '')} {name}".strip()) for code, name, county in regions
    ]


class AddressForm(forms.Form):
    # A township code; the regions slice's RegionPickerField can replace this select (see
    # docs/orders.md).
    region = forms.CharField(label=_("Township (乡镇/街道)"), max_length=12)
    detail = forms.CharField(label=_("Village, street and house"), max_length=200)
    recipient = forms.CharField(label=_("Recipient"), max_length=40)
    mobile = forms.CharField(label=_("Mobile number"), max_length=11)
    is_default = forms.BooleanField(label=_("Use as my default address"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = township_choices()
        if len(choices) <= 2000:  # a county-sized install: a select; a national one: type the code
            self.fields["region"].widget = forms.Select(choices=choices)


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=40)
    tracking_no = forms.CharField(label=_("Tracking number"), max_length=40)


class BatchShipForm(forms.Form):
    file = forms.FileField(label=_("CSV file: order_id,carrier,tracking_no"))
