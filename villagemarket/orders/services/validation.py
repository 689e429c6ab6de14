"""Input rules shared by single and batch shipping.

`carrier` is what the seller gave: a courier code from the list (case-insensitive: "SF", "zto"),
or, as before the list existed, a carrier's name. The rule for the number is the courier list's
one rule (`shipping/couriers.py: tracking_number_errors`):

- a listed code: the number must fit that courier's pattern, or the field `tracking_no` says so;
- a name of a listed courier ("顺丰", "中通快递"): the courier is linked when the number fits its
  pattern; otherwise the order ships as before under that name, unlinked (no tracking is
  fetched), checked by the generic rule. Old API clients and scripts keep working; the ship form
  and new clients send codes;
- any other name: an unlisted carrier (courier None, generic rule), as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid
from villagemarket.core.validation import find_control_character, is_invisible
from villagemarket.shipping.couriers import (
    OTHER,
    courier_by_code,
    courier_by_name,
    normalise_number,
    number_fits,
    tracking_number_errors,
)
from villagemarket.shipping.models import Courier


@dataclass(frozen=True)
class Shipment:
    carrier: str  # the name shown (the courier's name when listed)
    courier: Courier | None
    tracking_no: str


def _name_errors(carrier: str) -> list[str]:
    if (
        not carrier
        or len(carrier) > 40
        or carrier.upper() == OTHER
        or is_invisible(carrier)
        or find_control_character(carrier, allow=frozenset()) is not None
    ):
        return [_("Choose a courier or name the carrier (at most 40 characters).")]
    return []


def resolve_shipment(
    carrier: str, tracking_no: str
) -> tuple[Shipment | None, dict[str, list[str]]]:
    """The shipment meant by a carrier (code or name) and a number, or the errors by field."""
    carrier, tracking_no = (carrier or "").strip(), (tracking_no or "").strip()
    courier = courier_by_code(carrier)
    if courier is not None:
        errors = tracking_number_errors(courier.code, tracking_no)
        if "courier" in errors:
            errors["carrier"] = errors.pop("courier")
        shipment = Shipment(courier.name, courier, normalise_number(tracking_no))
        return (None if errors else shipment), errors
    errors: dict[str, list[str]] = {}
    if name_errors := _name_errors(carrier):
        errors["carrier"] = name_errors
    named = courier_by_name(carrier) if not errors else None
    if named is not None and named.is_active and number_fits(named, normalise_number(tracking_no)):
        return Shipment(named.name, named, normalise_number(tracking_no)), {}
    errors.update(tracking_number_errors(OTHER, tracking_no))
    return (None if errors else Shipment(carrier, None, tracking_no)), errors


def shipment_errors(carrier: str, tracking_no: str) -> dict[str, list[str]]:
    """What is wrong with a carrier and tracking number (empty when nothing is)."""
    return resolve_shipment(carrier, tracking_no)[1]


def clean_shipment(carrier: str, tracking_no: str) -> Shipment:
    """The shipment, or Invalid naming the wrong field."""
    shipment, errors = resolve_shipment(carrier, tracking_no)
    if errors:
        raise Invalid(_("The shipment details are not valid."), fields=errors)
    return shipment
