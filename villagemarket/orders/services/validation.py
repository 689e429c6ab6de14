"""Input rules shared by single and batch shipping."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid
from villagemarket.core.validation import find_control_character, is_invisible

TRACKING_RE = re.compile(r"[A-Za-z0-9-]{6,40}")


def shipment_errors(carrier: str, tracking_no: str) -> dict[str, list[str]]:
    """What is wrong with a carrier and tracking number (empty when nothing is)."""
    errors: dict[str, list[str]] = {}
    carrier = carrier.strip()
    if (
        not carrier
        or len(carrier) > 40
        or is_invisible(carrier)
        or find_control_character(carrier, allow=frozenset()) is not None
    ):
        errors["carrier"] = [_("Name the carrier (at most 40 characters).")]
    if not TRACKING_RE.fullmatch(tracking_no.strip()):
        errors["tracking_no"] = [_("A tracking number is 6 to 40 letters, digits or dashes.")]
    return errors


def clean_shipment(carrier: str, tracking_no: str) -> tuple[str, str]:
    """Trimmed carrier and tracking number, or Invalid naming the wrong field."""
    carrier, tracking_no = (carrier or "").strip(), (tracking_no or "").strip()
    errors = shipment_errors(carrier, tracking_no)
    if errors:
        raise Invalid(_("The shipment details are not valid."), fields=errors)
    return carrier, tracking_no
