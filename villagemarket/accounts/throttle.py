"""Failed sign-ins are limited per account and per client address (core.ratelimit windows).

The account key is the normalised login as typed, whether or not such an account exists, so
being limited reveals nothing about which accounts exist.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from villagemarket.core.ratelimit import FixedWindow

from .rules import normalize_login


def _per_account() -> FixedWindow:
    return FixedWindow(
        "signin-account", settings.SIGNIN_MAX_FAILURES, settings.SIGNIN_WINDOW_SECONDS
    )


def _per_address() -> FixedWindow:
    return FixedWindow(
        "signin-address",
        settings.SIGNIN_MAX_FAILURES_PER_ADDRESS,
        settings.SIGNIN_WINDOW_SECONDS,
    )


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the header a trusted proxy sets (CLIENT_IP_HEADER)."""
    header = settings.CLIENT_IP_HEADER
    value = request.META.get(header, "") if header else ""
    # X-Forwarded-For style lists: the last hop was added by our proxy, the first by anyone.
    value = value.split(",")[-1].strip() if value else ""
    return value or request.META.get("REMOTE_ADDR", "") or "unknown"


def signin_wait_seconds(request: HttpRequest, login: str) -> int:
    """Seconds to wait before this login may be tried from this address again (0: go ahead)."""
    return max(
        _per_account().wait_seconds(normalize_login(login)),
        _per_address().wait_seconds(client_address(request)),
    )


def record_failed_signin(request: HttpRequest, login: str) -> None:
    """Count one failed sign-in against the account and the address."""
    _per_account().hit(normalize_login(login))
    _per_address().hit(client_address(request))


def record_successful_signin(login: str) -> None:
    """The owner proved the password: earlier failures on the account no longer count.

    The address count stays: an attacker cannot clear it by signing in to an account of their own.
    """
    _per_account().reset(normalize_login(login))
