"""Panels: a page of a lower app shows what higher apps add to it, without importing them.

A page names its slots in its template (`{% panels "product.main" product %}`, from the `panels`
tag library); a higher app registers a function for a slot in its `AppConfig.ready()`:

    panels.register("product.main", reviews_panel)   # (request, obj) -> HTML or ""

Each function returns safe HTML (usually `render_to_string(...)`), or "" to show nothing. Panels
of one slot are shown in the order of `position` (then registration). The slots in use:

| slot | page | object |
| --- | --- | --- |
| `header.user` | every page, the signed-in person's links in the header | the user |
| `product.summary` | product page, under the price | the product |
| `product.actions` | product page, under "Add to cart" | the product |
| `product.main` | product page, after the description | the product |
| `shop.summary` | shop page, under the shop's name | the shop |
| `shop.main` | shop page, after the products | the shop |
| `order.actions` | a buyer's order page | the shop order |
| `seller_order.actions` | a seller's order page | the shop order |
| `order.shipment` | a buyer's order page, under its steps (tracking) | the shop order |
| `seller_order.shipment` | a seller's order page, under its steps (tracking) | the shop order |
| `seller.dashboard` | a shop's seller-center dashboard, under the counts | the shop |
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

Panel = Callable[[HttpRequest, object], str]
_slots: dict[str, list[tuple[int, int, Panel]]] = {}


def register(slot: str, panel: Panel, *, position: int = 100) -> None:
    """Show `panel` in `slot` (idempotent: registering the same function twice keeps one)."""
    entries = _slots.setdefault(slot, [])
    if any(existing is panel for _pos, _n, existing in entries):
        return
    entries.append((position, len(entries), panel))
    entries.sort(key=lambda entry: entry[:2])


def unregister(slot: str, panel: Panel) -> None:
    """Take `panel` out of `slot` (tests)."""
    _slots[slot] = [entry for entry in _slots.get(slot, []) if entry[2] is not panel]


def render(slot: str, request: HttpRequest, obj: object) -> SafeString:
    """Every panel of `slot` for `obj`, joined (empty when no app registered one)."""
    parts = [panel(request, obj) for _pos, _n, panel in _slots.get(slot, [])]
    return mark_safe("".join(part for part in parts if part))  # noqa: S308 - panels return safe HTML
