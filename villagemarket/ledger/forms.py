"""The seller's withdrawal form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from villagemarket.core.money import Money
from villagemarket.core.validation import no_control_characters


class WithdrawalForm(forms.Form):
    amount = forms.CharField(
        label=_("Amount (yuan)"), max_length=30, validators=[no_control_characters]
    )
    household = forms.TypedChoiceField(label=_("For"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, shop, **kwargs):
        super().__init__(*args, **kwargs)
        if shop.is_service_point:
            self.fields["household"].choices = [("", _("The service point itself"))] + [
                (h.pk, h.name) for h in shop.households.order_by("name")
            ]
        else:
            del self.fields["household"]

    def clean_amount(self) -> Money:
        try:
            amount = Money.parse(self.cleaned_data["amount"])
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Enter an amount such as 120.50.")) from None
        if amount.minor <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount
