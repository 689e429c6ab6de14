"""Pure rules of village pickups (no ORM): who may run pickups, number ranges, masked phones."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from villagemarket.core.errors import Conflict

# Kinds of shop that gather other shops' parcels (shops.models.ShopKind values).
POINT_KINDS = frozenset({"service_point", "cooperative"})
MAX_RANGE = 500  # more labels than one courier van collects from a village in a day
_TRAILING_DIGITS = re.compile(r"^(.*?)([0-9]+)$")


def may_run_pickups(kind: str) -> bool:
    """A village service point or a cooperative runs pickups; other shops join one."""
    return kind in POINT_KINDS


def require_point(point) -> None:
    """Conflict unless the shop may run pickups (a service point or a cooperative)."""
    if not may_run_pickups(point.kind):
        raise Conflict(
            _("Only a village service point or a cooperative runs pickups."),
            code="not_a_pickup_point",
        )


def number_range(start: str, count: int) -> list[str]:
    """`count` consecutive tracking numbers from `start` (a prefix and a run of digits whose
    width is kept: "ZT0099" -> "ZT0099", "ZT0100"). ValueError (translated) when impossible."""
    if not 1 <= count <= MAX_RANGE:
        raise ValueError(_("Between 1 and %(n)d numbers.") % {"n": MAX_RANGE})
    match = _TRAILING_DIGITS.match(start.strip())
    if not match:
        raise ValueError(_("The first number must end in digits."))
    prefix, digits = match.groups()
    first, width = int(digits), len(digits)
    last = first + count - 1
    if len(str(last)) > width:
        raise ValueError(_("The range runs past %(n)d digits.") % {"n": width})
    return [f"{prefix}{n:0{width}d}" for n in range(first, last + 1)]


def masked_phone(phone: str) -> str:
    """A phone number as printed on a label: its middle digits hidden (139****5678)."""
    phone = phone.strip()
    if len(phone) < 8:  # too short to show both ends and still hide something
        return phone[:2] + "*" * max(len(phone) - 2, 0)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
