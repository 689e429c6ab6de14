"""Hooks the apps above orders register to hear about completed orders (the observatory counts
them as sales).

orders never imports the apps above it. A listener registers once, in its `AppConfig.ready()`,
and is called after the completing transaction commits (so a rolled-back completion is never
counted), once per listener with a `CompletedSale`. The `ref` is unique per order, so a listener
that is called twice for one order can ignore the second call.
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


_completion_listeners: list[Callable[[CompletedSale], object]] = []


def on_order_completed(listener: Callable[[CompletedSale], object]) -> None:
    """Register `listener` (idempotent: registering the same function twice keeps one)."""
    if listener not in _completion_listeners:
        _completion_listeners.append(listener)


def order_completed(sale: CompletedSale) -> None:
    """Tell every listener after the current transaction commits."""
    for listener in list(_completion_listeners):
        transaction.on_commit(functools.partial(listener, sale))
