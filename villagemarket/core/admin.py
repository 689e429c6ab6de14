"""Shared back-office pieces for every app's admin.py (core registers no model itself).

- `money_column`: a list/read-only column that shows ¥1,234.50 under a translated name instead
  of a raw "MIN PRICE MINOR 16800".
- `OperatorSafeAdmin`: destructive actions last in the actions menu, and a delete refused with
  an explanation when orders (or other protected history) point at the object — in the delete
  page and in "delete selected" alike, since both go through Django's collector.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin

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


class OperatorSafeAdmin(admin.ModelAdmin):
    """Base for admins with actions or deletable history.

    `deactivate_hint` says what to do instead of deleting (shown when a delete is refused).
    """

    deactivate_hint = ""
    delete_confirmation_template = "admin/vm_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/vm_delete_selected_confirmation.html"

    def get_actions(self, request):
        actions = super().get_actions(request)
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
