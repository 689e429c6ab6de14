"""The courier list and the one rule for tracking numbers.

Everyone who takes a courier and a tracking number (the ship form, the batch CSV, the API,
logistics' pickup batches) asks `tracking_number_errors`; nobody writes a second pattern check.

A number is compared upper-cased and without surrounding spaces (sellers type "sf1234..."); the
courier's `tracking_pattern` must match the whole of it. An unlisted carrier ("OTHER", or a name
that is not on the list) gets the generic rule: 6 to 40 letters, digits or dashes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

from django.utils.translation import gettext as _

from .models import Courier

OTHER = "OTHER"  # an unlisted carrier: the seller names it, its numbers are not tracked
GENERIC_RE = re.compile(r"[A-Za-z0-9-]{6,40}")
CODE_RE = re.compile(r"[A-Z0-9]{1,12}")
MAX_NUMBER = 40


def active_couriers():
    """The couriers offered to sellers, in the operators' order."""
    return Courier.objects.filter(is_active=True).order_by("position", "code")


def courier_by_code(code: str | None) -> Courier | None:
    """The courier whose code is `code` (case-insensitive, spaces ignored), active or not."""
    code = (code or "").strip().upper()
    # Only a code's shape reaches the database (a NUL byte in a CSV cell is refused by PostgreSQL).
    if code == OTHER or not CODE_RE.fullmatch(code):
        return None
    return Courier.objects.filter(code=code).first()


def _key(text: str) -> str:
    return "".join(text.split()).casefold()


def courier_by_name(name: str | None) -> Courier | None:
    """The courier a seller meant by a name: its code, name, English name or one of its other
    names ("顺丰", "顺丰速运", "SF Express"), case and spaces ignored. None when nobody fits."""
    key = _key(name or "")
    if not key:
        return None
    for courier in Courier.objects.all().order_by("position", "code"):
        names = [courier.code, courier.name, courier.name_en, *courier.aliases.split(",")]
        if key in {_key(n) for n in names if n.strip()}:
            return courier
    return None


def normalise_number(tracking_no: str | None) -> str:
    """The number as it is stored and compared: trimmed and upper-cased."""
    return (tracking_no or "").strip().upper()


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def pattern_error(pattern: str) -> str | None:
    """Why `pattern` cannot be a courier's tracking pattern (None when it can)."""
    try:
        _compiled(pattern)
    except re.error as exc:
        return _("Not a regular expression: %(error)s") % {"error": exc}
    return None


def url_error(url: str) -> str | None:
    """Why `url` cannot be a courier's tracking page (None when it can; blank means none)."""
    if url and (not url.startswith("https://") or "{number}" not in url):
        return _("A tracking page is an https:// address containing {number}.")
    return None


def number_fits(courier: Courier, tracking_no: str) -> bool:
    """Whether a (normalised) number matches the courier's pattern."""
    return _compiled(courier.tracking_pattern).fullmatch(tracking_no) is not None


def tracking_number_errors(
    courier_code: str | None, tracking_no: str | None
) -> dict[str, list[str]]:
    """What is wrong with a courier code and a tracking number, by field (empty when nothing is).

    `courier_code` is a listed code (case-insensitive) or OTHER; the number must fit the listed
    courier's pattern, or the generic rule for OTHER."""
    errors: dict[str, list[str]] = {}
    number = normalise_number(tracking_no)
    code = (courier_code or "").strip().upper()
    courier = courier_by_code(code)
    if code != OTHER and (courier is None or not courier.is_active):
        errors["courier"] = [_("Choose a courier from the list.")]
        return errors
    if not number:
        errors["tracking_no"] = [_("Give the tracking number.")]
    elif courier is None:
        if not GENERIC_RE.fullmatch(number):
            errors["tracking_no"] = [_("A tracking number is 6 to 40 letters, digits or dashes.")]
    elif len(number) > MAX_NUMBER or not number_fits(courier, number):
        message = _("This is not a %(courier)s tracking number.") % {"courier": courier.name}
        if courier.example:
            message += " " + _("It looks like %(example)s.") % {"example": courier.example}
        errors["tracking_no"] = [message]
    return errors


def tracking_link(courier: Courier | None, number: str) -> str:
    """The courier's public tracking page for `number` ("" when there is none)."""
    if courier is None or not courier.tracking_url or not number:
        return ""
    return courier.tracking_url.replace("{number}", quote(number, safe=""))
