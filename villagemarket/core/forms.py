"""The one adapter from a service's DomainError to a Django form's errors."""

from __future__ import annotations

from django import forms

from villagemarket.core.errors import DomainError


def apply_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a domain error on `form`.

    Each reason goes on the field it names when the form has that field; reasons for fields
    the form does not have go to the top. The error's message goes to the top too, unless
    every reason found its field (then the fields say it where the user looks).
    """
    all_placed = bool(exc.fields)
    for name, reasons in (exc.fields or {}).items():
        on_form = name in form.fields
        all_placed = all_placed and on_form
        for reason in reasons:
            form.add_error(name if on_form else None, str(reason))
    if not all_placed:
        form.add_error(None, exc.message)
