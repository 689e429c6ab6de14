"""Reads for account pages and the API."""

from __future__ import annotations

from django.db.models import F, QuerySet

from . import hooks
from .hooks import Membership
from .models import ApiToken, User


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """A person's tokens, active first, newest first."""
    return ApiToken.objects.filter(user=user).order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at", "-id"
    )


def memberships_of(user: User) -> list[Membership]:
    """The shops a person belongs to, with their role (supplied by shops through accounts.hooks)."""
    return hooks.memberships_of(user)
