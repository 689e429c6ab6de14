"""Region forms: the cascading region picker and the operator's village CSV upload.

Using the picker (shops pick their village, addresses a township)::

    from villagemarket.regions.forms import RegionPickerField

    class ShopForm(forms.ModelForm):
        village = RegionPickerField(min_level=5, label=_("Village"))         # a village (level 5)

    class AddressForm(forms.Form):
        township = RegionPickerField(min_level=4, max_level=4)                # exactly a township

`cleaned_data["village"]` is a Region instance (so it fits a ForeignKey on a ModelForm).
The widget renders province > prefecture > county > township (> village) selects; choosing one
fetches the next level with htmx from `regions:picker` (GET ?code=...&field=...). All selects
share the field's name and the deepest chosen code wins; a text box `<name>_code` accepts a
typed code instead (keyboard and screen-reader users, or no JavaScript) and wins when filled.
Initial values may be a Region or a code. The page needs nothing extra: htmx is on every page.
"""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from villagemarket.regions.models import Level, Region
from villagemarket.regions.rules import LEVEL_LENGTHS
from villagemarket.regions.selectors import chain_for_picker
from villagemarket.regions.village_csv import COLUMNS

LEVEL_LABELS = {
    1: _("Province"),
    2: _("Prefecture"),
    3: _("County"),
    4: _("Township"),
    5: _("Village"),
}
UPLOAD_MAX_BYTES = 50 * 1024 * 1024  # all 620k villages of China fit in about 40 MB


def picker_context(field_name: str, code: str, min_level: int, max_level: int, html_id: str = ""):
    """Template context of the picker, shared by the widget and the htmx endpoint."""
    html_id = html_id or f"id_{field_name}"
    boxes = [
        {"level": level, "label": LEVEL_LABELS[level], "options": options, "selected": selected}
        for level, options, selected in chain_for_picker(code, max_level)
    ]
    # A placeholder keeps the level above chosen: picking "—" in the county box means "this
    # prefecture", so the deepest non-empty value is still the user's last real choice.
    for box in boxes:
        level = box["level"]
        box["placeholder_value"] = code[: LEVEL_LENGTHS[level - 1]] if level > 1 else ""
    return {
        "name": field_name,
        "html_id": html_id,
        "code": code,
        "min_level": min_level,
        "max_level": max_level,
        "boxes": boxes,
        "picker_url": reverse("regions:picker"),
        "typed_label": _("or type the region code"),
    }


class RegionPickerWidget(forms.Widget):
    """Cascading selects plus a typed-code box; see the module docstring."""

    class Media:
        css = {"all": ["regions/regions.css"]}

    def __init__(self, min_level: int = Level.VILLAGE, max_level: int | None = None, attrs=None):
        super().__init__(attrs)
        self.min_level = min_level
        self.max_level = max_level or min_level

    def format_value(self, value) -> str:
        if isinstance(value, Region):
            return value.code
        return str(value or "").strip()

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        context = picker_context(
            name, self.format_value(value), self.min_level, self.max_level, attrs.get("id", "")
        )
        return mark_safe(render_to_string("regions/_picker.html", context))  # noqa: S308 - template-escaped

    def value_from_datadict(self, data, files, name):
        typed = (data.get(f"{name}_code") or "").strip()
        if typed:
            return typed
        chosen = (
            [v.strip() for v in data.getlist(name) if v and v.strip()]
            if hasattr(data, "getlist")
            else []
        )
        if not chosen and data.get(name):
            chosen = [str(data.get(name)).strip()]
        return max(chosen, key=len) if chosen else ""

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_code" not in data

    def id_for_label(self, id_):
        return f"{id_}_code" if id_ else id_


class RegionPickerField(forms.Field):
    """A region at a required level, picked with cascading selects or typed as a code."""

    default_error_messages = {
        "invalid": _("Enter a region code of digits only."),
        "unknown": _("There is no region with the code %(code)s."),
        "too_high": _("Choose down to the %(level)s (you chose the %(chosen)s %(name)s)."),
        "too_deep": _("Choose a %(level)s, not a %(chosen)s."),
    }

    def __init__(self, *, min_level: int = Level.VILLAGE, max_level: int | None = None, **kwargs):
        self.min_level = min_level
        self.max_level = max_level or min_level
        kwargs.setdefault("widget", RegionPickerWidget(self.min_level, self.max_level))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.code if isinstance(value, Region) else value

    def to_python(self, value) -> Region | None:
        if isinstance(value, Region):
            return value
        code = str(value or "").strip()
        if not code:
            return None
        if not code.isdigit():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"code": code}
            )
        params = {
            "level": Level(self.min_level).label,
            "chosen": Level(region.level).label,
            "name": region.display_name,
        }
        if region.level < self.min_level:
            raise forms.ValidationError(
                self.error_messages["too_high"], code="too_high", params=params
            )
        if region.level > self.max_level:
            params["level"] = Level(self.max_level).label
            raise forms.ValidationError(
                self.error_messages["too_deep"], code="too_deep", params=params
            )
        return region


class RegionJumpForm(forms.Form):
    """The region index's "go to a region" picker: any level, deepest choice wins."""

    region = RegionPickerField(min_level=Level.PROVINCE, max_level=Level.VILLAGE, label=_("Region"))


class VillageImportForm(forms.Form):
    file = forms.FileField(
        label=_("Village CSV file"),
        help_text=format_lazy("{} {}", _("UTF-8 CSV with the header:"), ",".join(COLUMNS)),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload
