"""Seller-center forms. They only shape input; the rules live in services.py and rules.py.

The village field is the regions slice's cascading picker (`RegionPickerField(min_level=5)`)
when it is installed, else a plain 12-digit village code box; either way services.resolve_village
checks the code against the Region table, so both give the same errors.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import Shop, ShopKind


def village_field(**kwargs) -> forms.Field:
    """The regions picker when available, otherwise a village code field."""
    label = kwargs.pop("label", _("Village"))
    try:
        from villagemarket.regions.forms import RegionPickerField

        return RegionPickerField(min_level=5, label=label, **kwargs)
    except (ImportError, TypeError):
        return forms.CharField(
            label=label,
            max_length=12,
            min_length=12,
            help_text=_(
                "The 12-digit statistical code of the village, e.g. 371721121227 for 丁楼村."
            ),
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "pattern": "[0-9]{12}", "autocomplete": "off"}
            ),
            **kwargs,
        )


class ShopDetailsForm(forms.Form):
    name = forms.CharField(label=_("Shop name"), max_length=80)
    name_en = forms.CharField(label=_("English name"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ShopKind.choices, initial=ShopKind.HOUSEHOLD)
    ship_from_address = forms.CharField(label=_("Ship-from address"), max_length=200)
    phone = forms.CharField(
        label=_("Phone"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"] = village_field()
        # The village sits after the kind: where the shop is matters more than its address.
        order = [
            "name",
            "name_en",
            "slug",
            "kind",
            "village",
            "ship_from_address",
            "phone",
            "description",
            "logo",
        ]
        self.order_fields(order)


class OpenShopForm(ShopDetailsForm):
    slug = forms.CharField(
        label=_("Web address"),
        max_length=50,
        help_text=_(
            "Lowercase letters, digits and hyphens, e.g. dinglou-costumes. "
            "It cannot be changed later."
        ),
    )

    def clean_slug(self) -> str:
        # Checked here too so a bad address shows beside other field errors; the service
        # checks again (and the unique index decides a race).
        slug = self.cleaned_data["slug"].strip()
        problem = rules.slug_problem(slug)
        if problem is None and Shop.objects.filter(slug=slug).exists():
            problem = _("This web address is taken; choose another.")
        if problem:
            raise forms.ValidationError(problem)
        return slug


class ShopSettingsForm(ShopDetailsForm):
    logo = forms.FileField(label=_("Logo"), required=False, help_text=_("JPEG, PNG, WebP or GIF."))


class InviteForm(forms.Form):
    login = forms.CharField(label=_("Email or mobile number"), max_length=254)


class HouseholdForm(forms.Form):
    name = forms.CharField(label=_("Household name"), max_length=80)
    contact_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"] = village_field()
