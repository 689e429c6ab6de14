"""Seller-center forms. They only shape input; the services decide what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from villagemarket.shops.models import Household

from . import rules
from .models import Category, ProductStatus
from .selectors import category_paths


class ProductForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    title_en = forms.CharField(label=_("English title"), max_length=160, required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    household = forms.ModelChoiceField(
        label=_("Household"),
        queryset=Household.objects.none(),
        required=False,
        help_text=_("Service points: the household that makes this product."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=rules.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6, "data-richtext": "1"}),
        help_text=_(
            "Paragraphs, bold, italic, headings, lists and web links are kept; anything else "
            "is removed."
        ),
    )
    is_perishable = forms.BooleanField(label=_("Perishable"), required=False)
    is_custom_made = forms.BooleanField(label=_("Custom-made"), required=False)
    returns_7day = forms.BooleanField(
        label=_("7-day no-reason return"), required=False, initial=True
    )
    low_stock_threshold = forms.IntegerField(
        label=_("Low-stock warning at"),
        required=False,
        min_value=0,
        max_value=rules.MAX_STOCK,
        initial=5,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Warn when a variant's stock falls to this number; 0 = never warn."),
    )

    def __init__(self, *args, shop, **kwargs):
        super().__init__(*args, **kwargs)
        # The tree as sorted paths (农产品 › 干货 › 香菇), indented by depth; the editor's
        # script turns the select into a searchable picker.
        self.fields["category"].choices = [("", "---------")] + [
            (pk, "\u00a0\u00a0" * depth + path) for pk, path, depth in category_paths()
        ]
        self.fields["category"].widget.attrs["data-category-picker"] = "1"
        self.fields["household"].queryset = Household.objects.filter(shop=shop)
        if not shop.is_service_point:
            del self.fields["household"]
        else:
            self.fields["household"].required = True


class VariantForm(forms.Form):
    """One variant. Price stays a string so Money.parse sees exactly what was typed."""

    options = forms.CharField(
        label=_("Options"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("size=L; colour=red")}),
        help_text=_("name=value pairs separated by ; (leave empty for a single variant)"),
    )
    price = forms.CharField(
        label=_("Price (¥)"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    stock = forms.CharField(
        label=_("Stock"),
        max_length=10,
        initial="0",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    weight_grams = forms.CharField(
        label=_("Weight (g)"),
        max_length=10,
        initial="500",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class NewProductForm(ProductForm, VariantForm):
    """Create page: the product and its first variant in one go."""


class StockForm(forms.Form):
    MODES = [("delta", _("add / remove")), ("set", _("set to"))]
    mode = forms.ChoiceField(label=_("Change"), choices=MODES, initial="delta")
    amount = forms.IntegerField(
        label=_("Amount"), min_value=-rules.MAX_STOCK, max_value=rules.MAX_STOCK
    )


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all"))] + ProductStatus.choices
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
