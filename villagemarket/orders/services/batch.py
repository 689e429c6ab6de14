"""Batch shipping from a CSV of order_id,carrier,tracking_no: every row ships, or none does."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid

from ..models import ShopOrder
from ..states import Status
from .fulfilment import ship_order
from .validation import shipment_errors

MAX_ROWS = 2000
HEADER = ["order_id", "carrier", "tracking_no"]


def _rows(text: str) -> list[tuple[int, list[str]]]:
    rows = [
        (n, row)
        for n, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1)
        if any(row)
    ]
    if rows and [c.strip().lower() for c in rows[0][1]][:3] == HEADER:
        rows = rows[1:]
    return rows


def _row_errors(shop, rows) -> tuple[dict[str, list[str]], list[tuple[int, str, str]]]:
    errors: dict[str, list[str]] = {}
    parsed: list[tuple[int, str, str]] = []
    seen: set[int] = set()
    ids = [int(r[0]) for _n, r in rows if r and r[0].strip().isdigit()]
    statuses = dict(ShopOrder.objects.filter(shop=shop, pk__in=ids).values_list("pk", "status"))
    for number, row in rows:
        key = _("row %(n)d") % {"n": number}
        if len(row) != 3:
            errors[key] = [_("Expected 3 columns: order_id, carrier, tracking_no.")]
            continue
        order_text, carrier, tracking_no = (c.strip() for c in row)
        problems = [msg for msgs in shipment_errors(carrier, tracking_no).values() for msg in msgs]
        order_id = int(order_text) if order_text.isdigit() else None
        if order_id is None or order_id not in statuses:
            problems.insert(0, _("No order %(id)s in this shop.") % {"id": order_text})
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
        raise Invalid(_("The file has no rows."), fields={"file": [_("The file has no rows.")]})
    if len(rows) > MAX_ROWS:
        raise Invalid(
            _("Too many rows."), fields={"file": [_("At most %(n)d rows.") % {"n": MAX_ROWS}]}
        )
    with transaction.atomic():
        errors, parsed = _row_errors(shop, rows)
        if errors:
            raise Invalid(_("Nothing was shipped: fix the rows below."), fields=errors)
        # An order that moved since the check makes ship_order raise, which rolls back them all.
        return [
            ship_order(shop=shop, order_id=oid, carrier=c, tracking_no=t) for oid, c, t in parsed
        ]
