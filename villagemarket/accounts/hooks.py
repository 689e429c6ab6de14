"""The shops a person belongs to, supplied by the shops app (accounts sits below shops).

shops registers a MembershipSource in ShopsConfig.ready(); the profile page and
`GET /api/v1/accounts/me` read through `memberships_of()` and never import shops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Membership:
    """One shop a person belongs to, with their role (labels already translated)."""

    shop_id: int
    slug: str
    name: str
    role: str
    role_label: str
    status: str
    status_label: str


MembershipSource = Callable[[object], list[Membership]]

_source: MembershipSource | None = None


def register_membership_source(source: MembershipSource) -> None:
    """Called once by shops: how to list a person's shop memberships."""
    global _source
    _source = source


def memberships_of(user) -> list[Membership]:
    """The person's shop memberships, by shop name; none when no app supplies them."""
    if _source is None or user is None or not user.is_authenticated:
        return []
    return _source(user)
