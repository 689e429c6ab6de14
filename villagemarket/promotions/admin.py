"""Back-office for promotions. Operators create the platform's coupons and cross-shop 满减 here
(docs/promotions.md); the same rules as the seller pages apply (services.check_*)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from villagemarket.core.admin import OperatorSafeAdmin, YuanFields, money_column
from villagemarket.core.errors import Invalid
from villagemarket.core.money import Money

from . import rules, services
from .models import Coupon, CouponClaim, SalePrice, SpendSave


def _as_validation_error(exc: Invalid, form: forms.ModelForm) -> ValidationError:
    errors = {}
    aliases = {"amount": "amount_minor", "threshold": "threshold_minor", "budget": "budget_minor"}
    aliases |= {"max_save": "max_save_minor", "price": "price_minor"}
    for name, reasons in exc.fields.items():
        field = aliases.get(name, name)
        errors.setdefault(field if field in form.fields else None, []).extend(reasons)
    return ValidationError(errors or exc.message)


class OperatorAdmin(YuanFields, OperatorSafeAdmin):
    """Operators (is_staff) run the platform's promotions without per-model grants (the app is
    in accounts' OPERATOR_APPS)."""

    spent_display = money_column("spent_minor", _("spent"))


class CouponForm(forms.ModelForm):
    class Meta:
        model = Coupon
        fields = [
            "name", "funder", "shop", "amount_minor", "threshold_minor", "per_buyer_limit",
            "total_quantity", "budget_minor", "currency", "starts_at", "ends_at", "ended_at",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        if not self.errors:
            coupon = self.instance
            for name, value in data.items():
                setattr(coupon, name, value)
            if (coupon.funder == rules.SHOP) != (coupon.shop_id is not None):
                raise ValidationError(
                    {"shop": _("A shop coupon names its shop; a platform one none.")}
                )
            try:
                services.check_coupon(coupon)
            except Invalid as exc:
                raise _as_validation_error(exc, self) from None
        return data


@admin.register(Coupon)
class CouponAdmin(OperatorAdmin):
    form = CouponForm
    list_display = [
        "name",
        "funder",
        "shop",
        "amount_display",
        "threshold_display",
        "claimed_count",
        "total_quantity",
        "starts_at",
        "ends_at",
        "ended_at",
    ]
    list_filter = ["funder"]
    search_fields = ["name", "shop__name"]
    raw_id_fields = ["shop"]
    readonly_fields = ["claimed_count", "spent_display"]
    yuan_fields = {
        "amount_minor": _("amount off (yuan)"),
        "threshold_minor": _("minimum spend (yuan)"),
        "budget_minor": _("budget (yuan)"),
    }
    amount_display = money_column("amount_minor", _("amount off"))
    threshold_display = money_column("threshold_minor", _("minimum spend"))

    def save_model(self, request, obj, form, change):
        obj.created_by = obj.created_by or request.user
        super().save_model(request, obj, form, change)


def tiers_from_text(text: str) -> list[dict]:
    """ "300 50" per line (spend, save in yuan) -> tiers in minor units; ValidationError else."""
    tiers = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = line.replace("，", " ").replace(",", " ").split()
        try:
            spend, save = (Money.parse(part).minor for part in parts)
        except (ValueError, TypeError):
            raise ValidationError(
                _("One tier a line: spend and save in yuan, e.g. 300 50.")
            ) from None
        tiers.append({"threshold_minor": spend, "save_minor": save})
    return tiers


def tiers_as_text(tiers) -> str:
    return "\n".join(
        f"{Money(int(t['threshold_minor'])).amount} {Money(int(t['save_minor'])).amount}"
        for t in tiers or []
    )


class SpendSaveForm(forms.ModelForm):
    tiers = forms.CharField(
        label=_("tiers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One tier a line: spend and save in yuan, e.g. 300 50."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tiers"] = tiers_as_text(self.instance.tiers)

    def clean_tiers(self):
        return tiers_from_text(self.cleaned_data["tiers"])

    class Meta:
        model = SpendSave
        fields = [
            "name", "funder", "shop", "all_shops", "shops", "tiers", "every", "max_save_minor",
            "quantity_limit", "budget_minor", "currency", "starts_at", "ends_at", "ended_at",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        if not self.errors:
            offer = self.instance
            for name, value in data.items():
                if name != "shops":
                    setattr(offer, name, value)
            if (offer.funder == rules.SHOP) != (offer.shop_id is not None):
                raise ValidationError(
                    {"shop": _("A shop's offer names its shop; a platform one none.")}
                )
            shop_ids = [s.pk for s in data.get("shops") or []]
            try:
                services.check_spend_save(offer, shop_ids=shop_ids)
            except Invalid as exc:
                raise _as_validation_error(exc, self) from None
            data["tiers"] = offer.tiers
        return data


@admin.register(SpendSave)
class SpendSaveAdmin(OperatorAdmin):
    form = SpendSaveForm
    list_display = [
        "name",
        "funder",
        "shop",
        "every",
        "all_shops",
        "starts_at",
        "ends_at",
        "ended_at",
    ]
    list_filter = ["funder", "every"]
    search_fields = ["name", "shop__name"]
    raw_id_fields = ["shop"]
    autocomplete_fields = ["shops"]  # a search box: no "hold down Control" help to translate
    readonly_fields = ["used_count", "spent_display"]
    yuan_fields = {"max_save_minor": _("most saved (yuan)"), "budget_minor": _("budget (yuan)")}

    def save_model(self, request, obj, form, change):
        obj.created_by = obj.created_by or request.user
        super().save_model(request, obj, form, change)


class SalePriceForm(forms.ModelForm):
    class Meta:
        model = SalePrice
        fields = [
            "name", "shop", "sku", "price_minor", "quantity_limit", "currency",
            "starts_at", "ends_at", "ended_at",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        if not self.errors:
            sale = self.instance
            for name, value in data.items():
                setattr(sale, name, value)
            sale.funder = rules.SHOP  # a sale price is always the shop's money
            try:
                services.check_sale_price(sale)
            except Invalid as exc:
                raise _as_validation_error(exc, self) from None
        return data


@admin.register(SalePrice)
class SalePriceAdmin(OperatorAdmin):
    form = SalePriceForm
    list_display = [
        "name",
        "shop",
        "sku",
        "price_display",
        "sold_count",
        "quantity_limit",
        "starts_at",
        "ends_at",
        "ended_at",
    ]
    search_fields = ["name", "shop__name"]
    raw_id_fields = ["shop", "sku"]
    readonly_fields = ["sold_count"]
    yuan_fields = {"price_minor": _("sale price (yuan)"), "budget_minor": _("budget (yuan)")}
    price_display = money_column("price_minor", _("sale price"))


@admin.register(CouponClaim)
class CouponClaimAdmin(OperatorAdmin):
    list_display = ["coupon", "buyer", "number", "status", "claimed_at", "used_at", "used_order_id"]
    list_filter = ["status"]
    search_fields = ["coupon__name", "buyer__email"]
    raw_id_fields = ["coupon", "buyer"]
    readonly_fields = ["claimed_at", "used_at", "used_order_id"]
