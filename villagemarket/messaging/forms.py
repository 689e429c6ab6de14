from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from villagemarket.core.validation import no_control_characters, parse_db_id

from . import rules


class MessageForm(forms.Form):
    """One message: text and/or an image, maybe about a product or an order (hidden fields),
    and the last position the page shows (`after`, so an htmx answer adds only what is new)."""

    text = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=rules.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[no_control_characters],
    )
    image = forms.FileField(label=_("Image"), required=False)
    product_id = forms.CharField(required=False, widget=forms.HiddenInput)
    order_id = forms.CharField(required=False, widget=forms.HiddenInput)
    after = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_product_id(self):
        return parse_db_id(self.cleaned_data.get("product_id"))

    def clean_order_id(self):
        return parse_db_id(self.cleaned_data.get("order_id"))

    def clean_after(self):
        value = self.cleaned_data.get("after")
        return 0 if value in (None, "", "0") else (parse_db_id(value) or 0)
