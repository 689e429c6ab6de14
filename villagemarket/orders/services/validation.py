"""Input rules shared by single and batch shipping."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid

TRACKING_RE = re.compile(r"^[A-Za-z0-9-]{6,40}$")


def shipment_errors(carrier: str, tracking_no: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not carrier.strip() or len(carrier.strip()) > 40:
        errors["carrier"] = [_("Name the carrier (at most 40 characters).")]
    if not TRACKING_RE.match(tracking_no.strip()):
        errors["tracking_no"] = [_("A tracking number is 6 to 40 letters, digits or dashes.")]
    return errors


def clean_shipment(carrier: str, tracking_no: str) -> tuple[str, str]:
    """Trimmed carrier and tracking number, or Invalid naming the wrong field."""
    carrier, tracking_no = (carrier or "").strip(), (tracking_no or "").strip()
    errors = shipment_errors(carrier, tracking_no)
    if errors:
        raise Invalid(_("The shipment details are not valid."), fields=errors)
    return carrier, tracking_no
