"""Pure shop rules (no ORM): web addresses, phone numbers, commission bounds.

Status moves are in states.py.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from villagemarket.accounts.rules import MOBILE_RE

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,48}[a-z0-9])$")
# Slugs that would shadow a page under /seller/ or /shops/, or impersonate the platform.
# /seller/ is shared with /seller/products/, /seller/orders/, /seller/shipping/: a shop named
# "shipping" would make /seller/shipping/staff/ ambiguous.
RESERVED_SLUGS = frozenset(
    {
        "open", "invitations", "new", "edit", "settings", "staff", "households",
        "products", "orders", "shipping", "tokens",
        "admin", "api", "seller", "shops", "mine", "static", "media", "accounts", "search",
        "cart", "pay", "regions", "observatory", "i18n", "villagemarket", "official", "support",
        "help", "balance", "promotions", "coupons", "imports", "logistics", "tracking",
        "insights", "messages", "reviews", "notifications",
    }
)  # fmt: skip
PHONE_RE = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$")
MAX_COMMISSION_BP = 10_000


def slug_problem(slug: str) -> str | None:
    """Why `slug` cannot be a shop's web address, or None when it can."""
    if not slug:
        return _("Choose a web address.")
    if not SLUG_RE.match(slug):
        return _(
            "Use 3-50 lowercase letters, digits or hyphens, not starting or ending with a hyphen."
        )
    if "--" in slug:
        return _("Do not use two hyphens in a row.")
    if slug in RESERVED_SLUGS:
        return _("This web address is reserved; choose another.")
    return None


def phone_problem(phone: str, *, required: bool = True) -> str | None:
    """Why `phone` is not a usable contact number, or None."""
    if not phone:
        return _("Enter a phone number.") if required else None
    if not PHONE_RE.match(phone):
        return _("Enter a phone number of digits (spaces, hyphens and a leading + allowed).")
    return None


def commission_problem(commission_bp: int) -> str | None:
    """Why a commission in basis points is out of range, or None."""
    if isinstance(commission_bp, bool) or not isinstance(commission_bp, int):
        return _("Enter a whole number of basis points.")
    if not 0 <= commission_bp <= MAX_COMMISSION_BP:
        return _("Commission must be between 0 and 10000 basis points (0-100%).")
    return None


def normalize_login(login: str) -> str:
    """Emails compare case-insensitively; mobiles lose spaces and hyphens."""
    login = (login or "").strip()
    if "@" in login:
        return login.lower()
    return re.sub(r"[\s-]", "", login)


def login_problem(login: str) -> str | None:
    """Why an invitation address is neither an email nor a mainland mobile number, or None."""
    if "@" in login:
        local, _sep, domain = login.partition("@")
        if local and "." in domain and " " not in login and len(login) <= 254:
            return None
        return _("Enter a valid email address.")
    if MOBILE_RE.fullmatch(login):
        return None
    return _("Enter an email address or an 11-digit mobile number.")
