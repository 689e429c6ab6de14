"""Hooks the apps above orders register to hear about completed and refunded orders (the
observatory counts them as sales and refunds).

orders never imports the apps above it. A listener registers once, in its `AppConfig.ready()`,
and is called inside the transaction that completes the order (or pays the refund back), once per
listener with a `CompletedSale` or a `Refund`: the completion, its settlement and the sale's record
commit together or not at all, so a sale is never lost after a completion commits nor counted for
one that rolled back. The `ref` is unique per order
(per refund), so a listener that is called twice for one can ignore the second call. Refunds are
told by the refund use-cases (the refunds slice) through `order_refunded`.
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
