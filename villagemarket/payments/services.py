"""Payment use-cases. Checkout calls create_payment; providers' notifications call mark_succeeded."""

from __future__ import annotations

from django.db import transaction

from villagemarket.core.money import Money

from .models import Payment


def create_payment(*, buyer, amount: Money, description: str = "", provider: str = "sandbox") -> Payment:
    """Open a pending payment for a checkout (called inside checkout's transaction)."""
    with transaction.atomic():
        return Payment.objects.create(
            buyer=buyer, amount_minor=amount.minor, currency=amount.currency,
            description=description[:200], provider=provider,
        )
