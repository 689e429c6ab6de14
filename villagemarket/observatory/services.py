"""Observatory use-cases. (Stub until the observatory slice lands: other slices may already call these.)"""

from __future__ import annotations

import datetime


def record_sale(*, shop_id: int, ref: str, day: datetime.date, amount_minor: int, orders: int = 1) -> None:
    """Count a completed order's amount for its shop on `day`. Idempotent per `ref`."""


def record_refund(*, shop_id: int, ref: str, day: datetime.date, amount_minor: int) -> None:
    """Subtract a refund from its shop's sales on the day it happened. Idempotent per `ref`."""
