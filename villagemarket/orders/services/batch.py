"""Batch shipping from a CSV of order_id,carrier,tracking_no: every row ships, or none does."""

from __future__ import annotations

import csv
import io
import re

from django.db import transaction
from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid
from villagemarket.core.validation import MAX_DB_ID

from ..models import ShopOrder
from ..states import Status
from .fulfilment import ship_order
from .validation import shipment_errors

MAX_ROWS = 2000
MAX_CELL = 200  # longer than any order id, carrier or tracking number: a wrong file
HEADER = ["order_id", "carrier", "tracking_no"]
# ASCII digits only: str.isdigit() also accepts "١٢" or "²", which int() reads differently or not
# at all. At most 19 digits: anything longer is no database id.
ORDER_ID_RE = re.compile(r"[0-9]{1,19}")


def _file_error(message: str) -> Invalid:
    return Invalid(message, fields={"file": [message]})


def _rows(text: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, row in enumerate(reader, start=1):
            if any(row):
                rows.append((number, row))
            if len(rows) > MAX_ROWS + 1:  # the header may be one of them
                raise _file_error(_("At most %(n)d rows.") % {"n": MAX_ROWS})
    except csv.Error:  # e.g. a field over the csv module's size limit: not a CSV we can read
        raise _file_error(_("This is not a CSV file of order_id,carrier,tracking_no.")) from None
    if rows and [c.strip().lower() for c in rows[0][1]][:3] == HEADER:
        rows = rows[1:]
    return rows


def order_id_of(text: str) -> int | None:
    """The order id in a cell, or None when it is not one (non-ASCII digits, too long, 0)."""
    if not ORDER_ID_RE.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_DB_ID else None


def _shown(text: str) -> str:
    """A cell as it may be quoted back in an error: short and without control characters."""
    visible = "".join(c if c.isprintable() else "\ufffd" for c in text)
    return visible if len(visible) <= 20 else visible[:20] + "…"


def _row_errors(shop, rows) -> tuple[dict[str, list[str]], list[tuple[int, str, str]]]:
    errors: dict[str, list[str]] = {}
    parsed: list[tuple[int, str, str]] = []
    seen: set[int] = set()
    ids = [oid for _n, r in rows if r and (oid := order_id_of(r[0].strip())) is not None]
    statuses = dict(ShopOrder.objects.filter(shop=shop, pk__in=ids).values_list("pk", "status"))
    for number, row in rows:
        key = _("row %(n)d") % {"n": number}
        if len(row) != 3:
            errors[key] = [_("Expected 3 columns: order_id, carrier, tracking_no.")]
            continue
        if any(len(cell) > MAX_CELL for cell in row):
            errors[key] = [_("A cell is longer than %(n)d characters.") % {"n": MAX_CELL}]
            continue
        order_text, carrier, tracking_no = (c.strip() for c in row)
        problems = [msg for msgs in shipment_errors(carrier, tracking_no).values() for msg in msgs]
        order_id = order_id_of(order_text)
        if order_id is None or order_id not in statuses:
            problems.insert(0, _("No order %(id)s in this shop.") % {"id": _shown(order_text)})
        elif order_id in seen:
            problems.insert(0, _("Order %(id)s appears twice.") % {"id": order_id})
        elif statuses[order_id] != Status.AWAITING_SHIPMENT:
            problems.insert(0, _("Order %(id)s is not awaiting shipment.") % {"id": order_id})
        if order_id is not None:
            seen.add(order_id)
        if problems:
            errors[key] = problems
        else:
            parsed.append((order_id, carrier, tracking_no))
    return errors, parsed


def ship_batch(*, shop, csv_text: str) -> list[ShopOrder]:
    """Ship every order listed in the CSV, or none: row errors name their row numbers (1-based,
    the header counts as row 1)."""
    rows = _rows(csv_text)
    if not rows:
        raise _file_error(_("The file has no rows."))
    if len(rows) > MAX_ROWS:
        raise _file_error(_("At most %(n)d rows.") % {"n": MAX_ROWS})
    with transaction.atomic():
        errors, parsed = _row_errors(shop, rows)
        if errors:
            raise Invalid(_("Nothing was shipped: fix the rows below."), fields=errors)
        # An order that moved since the check makes ship_order raise, which rolls back them all.
        return [
            ship_order(shop=shop, order_id=oid, carrier=c, tracking_no=t) for oid, c, t in parsed
        ]
