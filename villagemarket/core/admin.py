"""Shared back-office pieces for every app's admin.py (core registers no model itself).

- `money_column`: a list/read-only column that shows ¥1,234.50 under a translated name instead
  of a raw "MIN PRICE MINOR 16800".
- `YuanFields`: an editable `*_minor` field typed in yuan (¥1,234.50 is typed 1234.50), stored in
  minor units.
- `OperatorSafeAdmin`: destructive actions last in the actions menu, and a delete refused with
  an explanation when orders (or other protected history) point at the object — in the delete
  page and in "delete selected" alike, since both go through Django's collector.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from villagemarket.core.money import Money

DESTRUCTIVE_ACTIONS = ("delete_selected",)


def money_column(
    field: str, description, currency_field: str = "currency", ordering: str | None = None
) -> Callable:
    """A display function for `list_display` / `readonly_fields` showing `<field>` (minor
    units) as Money in the row's currency; empty when the amount is NULL."""

    @admin.display(description=description, ordering=ordering or field)
    def show(*args) -> str:
        obj = args[-1]  # called as a bound method (admin attribute) or with the row alone
        minor = getattr(obj, field)
        if minor is None:
            return "—"
        return Money(int(minor), getattr(obj, currency_field, None) or "CNY").format()

    show.__name__ = f"{field.removesuffix('_minor')}_display"
    show.do_not_call_in_templates = True  # admin templates meet it as a field name too
    return show


class YuanField(forms.CharField):
    """A minor-unit amount typed and shown in major units (yuan), parsed by Money.parse."""

    def __init__(self, *, currency: str = "CNY", **kwargs):
        kwargs.pop("max_length", None)
        kwargs.pop("min_value", None)
        kwargs.pop("max_value", None)
        kwargs.pop("step_size", None)
        super().__init__(**kwargs)
        self.currency = currency
        self.widget.attrs.setdefault("inputmode", "decimal")

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return str(Money(value, self.currency).amount)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            minor = Money.parse(text, self.currency).minor
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                _("Enter an amount in yuan, like 1234.50."), code="invalid"
            ) from exc
        # Thresholds and prices are never negative (the tables' CHECK constraints agree); a
        # bigint bounds the rest.
        if not 0 <= minor < 2**63:
            raise ValidationError(_("Enter an amount of 0 or more."), code="out_of_range")
        return minor

    def has_changed(self, initial, data) -> bool:
        try:
            return self.to_python(data) != initial
        except ValidationError:
            return True


class YuanFields:
    """Admin mixin: the `*_minor` fields named in `yuan_fields` (field name -> label) are
    edited in yuan."""

    yuan_fields: dict = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.yuan_fields:
            return YuanField(
                label=self.yuan_fields[db_field.name],
                required=not db_field.blank,
                help_text=_("In yuan, e.g. 1234.50."),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class OperatorSafeAdmin(admin.ModelAdmin):
    """Base for admins with actions or deletable history.

    `deactivate_hint` says what to do instead of deleting (shown when a delete is refused).
    """

    deactivate_hint = ""
    delete_confirmation_template = "admin/vm_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/vm_delete_selected_confirmation.html"

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Django lists the site-wide delete first; an operator's first choice must not destroy.
        for name in DESTRUCTIVE_ACTIONS:
            if name in actions:
                actions[name] = actions.pop(name)
        return actions

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Read by the two confirmation templates (the action builds its context without us).
        request.vm_delete_hint = self.deactivate_hint if protected else ""
        return deleted, counts, perms_needed, protected
