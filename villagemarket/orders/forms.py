"""Forms of the order pages (validation proper lives in the services; these only shape input)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from villagemarket.regions.forms import RegionPickerField


class AddressForm(forms.Form):
    # Province > prefecture > county > township, each select loaded by htmx from the region tree
    # (a typed 9-digit code works too, without JavaScript).
    region = RegionPickerField(min_level=4, max_level=4, label=_("Township (乡镇/街道)"))
    detail = forms.CharField(label=_("Village, street and house"), max_length=200)
    recipient = forms.CharField(label=_("Recipient"), max_length=40)
    mobile = forms.CharField(label=_("Mobile number"), max_length=11)
    is_default = forms.BooleanField(label=_("Use as my default address"), required=False)


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=40)
    tracking_no = forms.CharField(label=_("Tracking number"), max_length=40)


class BatchShipForm(forms.Form):
    file = forms.FileField(label=_("CSV file: order_id,carrier,tracking_no"))
