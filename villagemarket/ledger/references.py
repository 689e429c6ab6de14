"""What a line of a seller's history is for, in words people read ("Order #12 settled") instead
of the ledger's references ("order:12", "refund:3").

References are the business ids the posting apps chose (docs/ledger.md): `order:<shop order
id>` for a settlement, `refund:<refund id>` for a refund, `withdrawal:<id>` for a payout; a
reversal's reference is the reversed transaction's id. The ledger reads these strings itself
(no import of the apps above it). Which order a refund belongs to only the orders app knows:
it may register a resolver (`register_refund_orders`, in its AppConfig.ready()); until then a
refund reads "Refund #3".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import EventType

_REFERENCE = re.compile(r"^(?P<kind>order|refund|withdrawal):(?P<id>[0-9]{1,18})$")

# refund ids -> the shop order id of each (ids it does not know are left out).
_refund_orders: Callable[[set[int]], dict[int, int]] | None = None


def register_refund_orders(resolver: Callable[[set[int]], dict[int, int]]) -> None:
    """Orders tells the ledger which shop order each refund is on (one query for a page)."""
    global _refund_orders
    _refund_orders = resolver


def parse(reference: str) -> tuple[str, int] | None:
    """("order", 12) for "order:12"; None for a reference of another shape."""
    match = _REFERENCE.match(reference or "")
    return (match["kind"], int(match["id"])) if match else None


@dataclass(frozen=True)
class Described:
    """A history line in words, and the shop order it is about (for a link), if known."""

    text: str
    order_id: int | None = None


def describe(event: str, reference: str, refund_orders: dict[int, int] | None = None) -> Described:
    """The words for one posting of a seller's payable. `refund_orders` maps refund ids to their
    orders (from `refund_orders_for`)."""
    parsed = parse(reference)
    kind, number = parsed if parsed else ("", 0)
    if event == EventType.ORDER_SETTLED and kind == "order":
        return Described(_("Order #%(order)s settled") % {"order": number}, number)
    if event in (EventType.REFUND_AFTER_SETTLEMENT, EventType.REFUND_BEFORE_SETTLEMENT) and (
        kind == "refund"
    ):
        order_id = (refund_orders or {}).get(number)
        if order_id is not None:
            return Described(_("Refund on order #%(order)s") % {"order": order_id}, order_id)
        return Described(_("Refund #%(refund)s") % {"refund": number})
    if event == EventType.PAYOUT and kind == "withdrawal":
        return Described(_("Payout (withdrawal #%(withdrawal)s)") % {"withdrawal": number})
    label = str(EventType(event).label) if event in EventType.values else event
    return Described(f"{label[:1].upper()}{label[1:]} #{reference}")


def refund_orders_for(references: Iterable[tuple[str, str]]) -> dict[int, int]:
    """The orders of the refunds among (event, reference) pairs: one call of the registered
    resolver, or {} when none is registered."""
    refund_ids = set()
    for _event, reference in references:
        parsed = parse(reference)
        if parsed and parsed[0] == "refund":
            refund_ids.add(parsed[1])
    if not refund_ids or _refund_orders is None:
        return {}
    return _refund_orders(refund_ids)


def describe_entries(entries: Iterable) -> dict[int, Described]:
    """Words for each entry of a page of a shop's history (entries with `transaction` and its
    `reverses` loaded), by entry id. A reversal reads "Correction: <what it undid>"."""
    entries = list(entries)
    pairs = []
    for entry in entries:
        txn = entry.transaction
        pairs.append((txn.event, txn.reference))
        if txn.reverses_id:
            pairs.append((txn.reverses.event, txn.reverses.reference))
    refund_orders = refund_orders_for(pairs)
    described = {}
    for entry in entries:
        txn = entry.transaction
        if txn.event == EventType.REVERSAL and txn.reverses_id:
            undone = describe(txn.reverses.event, txn.reverses.reference, refund_orders)
            described[entry.pk] = Described(
                _("Correction: %(what)s") % {"what": undone.text}, undone.order_id
            )
        else:
            described[entry.pk] = describe(txn.event, txn.reference, refund_orders)
    return described
