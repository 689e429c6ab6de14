"""Forms of the order pages (validation proper lives in the services; these only shape input)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from villagemarket.core.money import Money
from villagemarket.regions.forms import RegionPickerField

from .refund_states import RefundKind, RefundReason


class AddressForm(forms.Form):
    # Province > prefecture > county > township, each select loaded by htmx from the region tree
    # (a typed 9-digit code works too, without JavaScript).
    region = RegionPickerField(min_level=4, max_level=4, label=_("Township (乡镇/街道)"))
    detail = forms.CharField(label=_("Village, street and house"), max_length=200)
    recipient = forms.CharField(label=_("Recipient"), max_length=40)
    mobile = forms.CharField(label=_("Mobile number"), max_length=11)
    is_default = forms.BooleanField(label=_("Use as my default address"), required=False)


def _courier_choices():
    from villagemarket.shipping.couriers import OTHER, active_couriers

    return [(c.code, c.name) for c in active_couriers()] + [(OTHER, _("Other carrier"))]


class ShipForm(forms.Form):
    """The seller picks the courier from the list (its pattern checks the number), or "Other
    carrier" and names it. An old form that posts only `carrier` (a name) still works."""

    courier = forms.ChoiceField(label=_("Courier"), choices=_courier_choices, required=False)
    carrier = forms.CharField(label=_("Other carrier's name"), max_length=40, required=False)
    tracking_no = forms.CharField(label=_("Tracking number"), max_length=40)

    def shipment(self) -> dict:
        """The keyword arguments of orders.services.ship_order (carrier and tracking_no)."""
        from villagemarket.shipping.couriers import OTHER

        data = self.cleaned_data
        courier = data.get("courier") or ""
        carrier = data.get("carrier") if courier in ("", OTHER) else courier
        return {"carrier": carrier or "", "tracking_no": data["tracking_no"]}


class BatchShipForm(forms.Form):
    file = forms.FileField(label=_("CSV file: order_id,carrier,tracking_no"))


class RefundForm(forms.Form):
    """The buyer's refund request; the amount is in yuan ("12.30"), parsed exactly by Money."""

    amount = forms.CharField(label=_("Amount (yuan)"), max_length=20)
    reason = forms.ChoiceField(label=_("Reason"), choices=RefundReason.choices)
    kind = forms.ChoiceField(
        label=_("What do you want?"), choices=RefundKind.choices, widget=forms.RadioSelect
    )
    detail = forms.CharField(
        label=_("Details"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, currency: str = "CNY", **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_amount(self):
        try:
            return Money.parse(self.cleaned_data["amount"].strip(), self.currency)
        except (ValueError, TypeError, ArithmeticError):
            raise forms.ValidationError(_("Write an amount such as 12.30.")) from None


class SellerAnswerForm(forms.Form):
    note = forms.CharField(
        label=_("Your answer (required to reject)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    image = forms.FileField(label=_("Evidence photo (optional)"), required=False)


class DecisionForm(forms.Form):
    for_buyer = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "buyer",
        choices=[("buyer", _("Refund the buyer")), ("seller", _("Reject the refund"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reasons"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
