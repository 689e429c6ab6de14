"""Reads for the payment pages and API: a buyer's own payment. What it covers (its orders) is told
by the app above through hooks.payment_parts."""

from __future__ import annotations

from .models import Payment


def payment_for_buyer(buyer, public_id) -> Payment | None:
    """The buyer's own payment (None for anyone else's: callers answer 404)."""
    if buyer is None or not buyer.is_authenticated:
        return None
    return Payment.objects.filter(public_id=public_id, buyer=buyer).first()
