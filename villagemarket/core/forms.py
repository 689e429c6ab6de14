"""The one adapter from a service's DomainError to what a page shows: a form's errors, or
messages when the page has no form to hold them."""

from __future__ import annotations

from django import forms
from django.contrib import messages

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


def message_domain_error(request, exc: DomainError) -> None:
    """Show a domain error as messages (for a page that redirects): its message, then each
    reason that says something more."""
    messages.error(request, exc.message)
    for reasons in (exc.fields or {}).values():
        for reason in reasons:
            if str(reason) != str(exc.message):
                messages.error(request, str(reason))
