"""Seller forms for promotions: amounts typed in yuan, times in the browser's date-time picker.
Field names are the ones services name in their errors, so each reason lands on its field."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from villagemarket.core.admin import YuanField
from villagemarket.core.validation import no_control_characters, visible_text

from . import rules

PICKER = "%Y-%m-%dT%H:%M"


class When(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=PICKER)


class PromotionForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=60, validators=[no_control_characters, visible_text]
    )
    starts_at = When(label=_("Starts"))
    ends_at = When(label=_("Ends"))

    @staticmethod
    def initial_window() -> dict:
        now = timezone.localtime().replace(second=0, microsecond=0)
        return {"starts_at": now, "ends_at": now + timezone.timedelta(days=7)}


class CouponForm(PromotionForm):
    amount = YuanField(label=_("Amount off (yuan)"))
    threshold = YuanField(label=_("Minimum spend (yuan)"))
    per_buyer_limit = forms.IntegerField(
        label=_("Per buyer"), min_value=1, max_value=rules.MAX_PER_BUYER, initial=1
    )
    total_quantity = forms.IntegerField(
        label=_("Coupons to give"), min_value=1, max_value=rules.MAX_QUANTITY, required=False
    )
    budget = YuanField(label=_("Budget (yuan, optional)"), required=False)


class SpendSaveForm(PromotionForm):
    every = forms.BooleanField(
        label=_("Repeat for every full amount (only the first tier)"), required=False
    )
    max_save = YuanField(label=_("Most saved per order (yuan, optional)"), required=False)
    budget = YuanField(label=_("Budget (yuan, optional)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, rules.MAX_TIERS + 1):
            self.fields[f"spend_{n}"] = YuanField(
                label=_("Tier %(n)s: spend (yuan)") % {"n": n}, required=n == 1
            )
            self.fields[f"save_{n}"] = YuanField(
                label=_("Tier %(n)s: save (yuan)") % {"n": n}, required=n == 1
            )

    def tier_rows(self):
        return [(self[f"spend_{n}"], self[f"save_{n}"]) for n in range(1, rules.MAX_TIERS + 1)]

    def tiers(self) -> list[dict]:
        data = self.cleaned_data
        rows = []
        for n in range(1, rules.MAX_TIERS + 1):
            spend, save = data.get(f"spend_{n}"), data.get(f"save_{n}")
            if spend is None and save is None:
                continue
            if spend is None or save is None:
                self.add_error(f"spend_{n}", _("Give both spend and save."))
                continue
            rows.append({"threshold_minor": spend, "save_minor": save})
        return rows

    @staticmethod
    def initial_from(offer) -> dict:
        initial = {"name": offer.name, "every": offer.every, "starts_at": offer.starts_at}
        initial |= {"ends_at": offer.ends_at, "max_save": offer.max_save_minor}
        initial["budget"] = offer.budget_minor
        for n, tier in enumerate(offer.tiers, start=1):
            initial[f"spend_{n}"] = tier["threshold_minor"]
            initial[f"save_{n}"] = tier["save_minor"]
        return initial


class SalePriceForm(PromotionForm):
    sku = forms.TypedChoiceField(label=_("SKU"), coerce=int)
    price = YuanField(label=_("Sale price (yuan)"))
    quantity_limit = forms.IntegerField(
        label=_("Units at this price (optional)"),
        min_value=1,
        max_value=rules.MAX_QUANTITY,
        required=False,
    )

    def __init__(self, *args, skus=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sku"].choices = [
            (sku.pk, f"{sku.product.title} {' '.join(map(str, (sku.options or {}).values()))}")
            for sku in skus
        ]
