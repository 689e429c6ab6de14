"""Hooks the apps above orders register to hear about completed and refunded orders (the
observatory counts them as sales and refunds).

orders never imports the apps above it. A listener registers once, in its `AppConfig.ready()`,
and is called inside the transaction that completes the order (or pays the refund back), once per
listener with a `CompletedSale` or a `Refund`: the completion, its settlement and the sale's record
commit together or not at all, so a sale is never lost after a completion commits nor counted for
one that rolled back. The `ref` is unique per order
(per refund), so a listener that is called twice for one can ignore the second call. Refunds are
told by the refund use-cases (the refunds slice) through `order_refunded`.

`on_order_event` hears every step of an order's life and of its refund requests (placed, paid,
shipped, delivered, completed, closed; a refund asked, approved, rejected, escalated, decided,
paid back or failed): an `OrderEvent` whose `kind` is PLACED, DELIVERED, REFUND_REQUESTED, an
`orders.states.Event` value or an `orders.refund_states.RefundEvent` value. Listeners
(notifications, anti-brushing, tracking) are called inside the transaction that made the step,
once per step that happened (a move that lost its race tells nobody), so what they write
commits or rolls back with it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CompletedSale:
    """A shop order that completed: what the shop sold, on which local day."""

    shop_id: int
    ref: str
    day: datetime.date
    amount_minor: int
    currency: str


@dataclass(frozen=True)
class Refund:
    """Money a shop gave back for an order, on the local day it was paid back."""

    shop_id: int
    ref: str
    day: datetime.date
    amount_minor: int
    currency: str


@dataclass(frozen=True)
class OrderEvent:
    """One step of a shop order's life, or of one of its refund requests (`refund_id`)."""

    kind: str
    order_id: int
    refund_id: int | None = None


PLACED = "placed"  # a checkout made this order (one event per shop order)
REFUND_REQUESTED = "refund_requested"  # the buyer asked for money back (refund_id set)
DELIVERED = "delivered"  # the courier reported the parcel delivered (services.mark_delivered)

_completion_listeners: list[Callable[[CompletedSale], object]] = []
_refund_listeners: list[Callable[[Refund], object]] = []


def on_order_completed(listener: Callable[[CompletedSale], object]) -> None:
    """Register `listener` (idempotent: registering the same function twice keeps one)."""
    if listener not in _completion_listeners:
        _completion_listeners.append(listener)


def order_completed(sale: CompletedSale) -> None:
    """Tell every listener, inside the current transaction (it commits or rolls back with it)."""
    for listener in list(_completion_listeners):
        listener(sale)


def on_order_refunded(listener: Callable[[Refund], object]) -> None:
    """Register `listener` for refunds (idempotent, as on_order_completed)."""
    if listener not in _refund_listeners:
        _refund_listeners.append(listener)


def order_refunded(refund: Refund) -> None:
    """Tell every refund listener, inside the current transaction (as order_completed)."""
    for listener in list(_refund_listeners):
        listener(refund)


_event_listeners: list[Callable[[OrderEvent], object]] = []


def on_order_event(listener: Callable[[OrderEvent], object]) -> None:
    """Register `listener` for every order and refund step (idempotent, as on_order_completed)."""
    if listener not in _event_listeners:
        _event_listeners.append(listener)


def has_event_listeners() -> bool:
    """Whether anyone listens (a caller may skip a look-up the event needs when nobody does)."""
    return bool(_event_listeners)


def order_event(event: OrderEvent) -> None:
    """Tell every event listener, inside the current transaction (as order_completed)."""
    for listener in list(_event_listeners):
        listener(event)


# --- the sale gate ------------------------------------------------------------------------------
# Anti-brushing holds back the sale of a suspicious order: it still completes and settles (the
# seller is paid), but its units, amount and order are not counted (catalog's sales_count, the
# observatory's ShopDailySales) until an operator clears it. A gate answers "hold this order's
# sale?" inside the completing transaction; orders then counts it later, on its original day,
# through services.count_held_sale.
_sale_gates: list[Callable[[int], bool]] = []


def register_sale_gate(gate: Callable[[int], bool]) -> None:
    """Register `gate(order_id) -> bool` (True holds the sale back); idempotent."""
    if gate not in _sale_gates:
        _sale_gates.append(gate)


def sale_held(order_id: int) -> bool:
    """Whether any gate holds back the sale of `order_id` (asked when it completes)."""
    return any(gate(order_id) for gate in list(_sale_gates))
