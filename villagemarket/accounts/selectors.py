"""Reads for account pages and the API."""

from __future__ import annotations

from django.db.models import F, QuerySet

from .models import ApiToken, User


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """A person's tokens, active first, newest first."""
    return ApiToken.objects.filter(user=user).order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at", "-id"
    )


def memberships_of(user: User):
    """The shops a person belongs to, with their role (shops.ShopMember, read-only)."""
    from villagemarket.shops.models import ShopMember

    return ShopMember.objects.filter(user=user).select_related("shop").order_by("shop__name")
