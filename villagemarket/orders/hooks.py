"""Hooks the apps above orders register to hear about completed and refunded orders (the
observatory counts them as sales and refunds).

orders never imports the apps above it. A listener registers once, in its `AppConfig.ready()`,
and is called after the transaction commits (so a rolled-back completion or refund is never
counted), once per listener with a `CompletedSale` or a `Refund`. The `ref` is unique per order
(per refund), so a listener that is called twice for one can ignore the second call. Refunds are
told by the refund use-cases (the refunds slice) through `order_refunded`.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction


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
    """Tell every listener after the current transaction commits."""
    for listener in list(_completion_listeners):
        transaction.on_commit(functools.partial(listener, sale))


def on_order_refunded(listener: Callable[[Refund], object]) -> None:
    """Register `listener` for refunds (idempotent, as on_order_completed)."""
    if listener not in _refund_listeners:
        _refund_listeners.append(listener)


def order_refunded(refund: Refund) -> None:
    """Tell every refund listener after the current transaction commits."""
    for listener in list(_refund_listeners):
        transaction.on_commit(functools.partial(listener, refund))
