"""Sign-in doors and password-reset requests, limited per account and per client address.

Windows are core.ratelimit's fixed windows in the shared cache. Every door that checks a
password goes through `signin_wait_seconds` / `record_failed_signin`: the site's sign-in page,
the back-office's sign-in (accounts.forms.AdminSignInForm) and the old-password check of the
password change page.

The account key: when the typed login (email or mobile, any spelling) belongs to an account, the
budget is that account's (its email and its mobile share one count); when it does not, the
normalised login as typed is counted the same way. Either way the answers and the moment of
being limited are the same, so the limiter does not reveal which accounts exist.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from villagemarket.core.ratelimit import FixedWindow

from .models import User
from .rules import normalize_login

# Password-reset requests: each one sends an email, so every request counts (not only failures).
RESET_MAX_PER_ACCOUNT = 3
RESET_MAX_PER_ADDRESS = 10
RESET_WINDOW_SECONDS = 3600


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


def _reset_per_account() -> FixedWindow:
    return FixedWindow(
        "reset-account",
        getattr(settings, "PASSWORD_RESET_MAX_PER_ACCOUNT", RESET_MAX_PER_ACCOUNT),
        getattr(settings, "PASSWORD_RESET_WINDOW_SECONDS", RESET_WINDOW_SECONDS),
    )


def _reset_per_address() -> FixedWindow:
    return FixedWindow(
        "reset-address",
        getattr(settings, "PASSWORD_RESET_MAX_PER_ADDRESS", RESET_MAX_PER_ADDRESS),
        getattr(settings, "PASSWORD_RESET_WINDOW_SECONDS", RESET_WINDOW_SECONDS),
    )


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the header a trusted proxy sets (CLIENT_IP_HEADER)."""
    header = settings.CLIENT_IP_HEADER
    value = request.META.get(header, "") if header else ""
    # X-Forwarded-For style lists: the last hop was added by our proxy, the first by anyone.
    value = value.split(",")[-1].strip() if value else ""
    return value or request.META.get("REMOTE_ADDR", "") or "unknown"


def account_key(login: str) -> str:
    """The rate-limit identity of a typed login: its account if it has one, else the login."""
    normalized = normalize_login(login or "")
    if not normalized:
        return "login:"
    try:
        pk = User.objects.get_by_login(normalized).pk
    except User.DoesNotExist:
        return f"login:{normalized}"
    return f"user:{pk}"


def user_key(user) -> str:
    """The rate-limit identity of a known account (same as account_key of its email or mobile)."""
    return f"user:{user.pk}"


def signin_wait_seconds(request: HttpRequest, key: str) -> int:
    """Seconds before account `key` may be tried from this address again (0: go ahead)."""
    return max(
        _per_account().wait_seconds(key),
        _per_address().wait_seconds(client_address(request)),
    )


def record_failed_signin(request: HttpRequest, key: str) -> None:
    """Count one wrong password against the account `key` and the client's address."""
    _per_account().hit(key)
    _per_address().hit(client_address(request))


def record_successful_signin(key: str) -> None:
    """The owner proved the password: earlier failures on the account no longer count.

    The address count stays: an attacker cannot clear it by signing in to an account of their own.
    """
    _per_account().reset(key)


def reset_wait_seconds(request: HttpRequest, email: str) -> int:
    """Seconds before another reset email may be asked for this account from this address."""
    return max(
        _reset_per_account().wait_seconds(account_key(email)),
        _reset_per_address().wait_seconds(client_address(request)),
    )


def record_reset_request(request: HttpRequest, email: str) -> None:
    """Count one reset request, whether or not the email belongs to an account."""
    _reset_per_account().hit(account_key(email))
    _reset_per_address().hit(client_address(request))
