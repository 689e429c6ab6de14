"""The device id: a long-lived random cookie every visitor gets, sent with each checkout.

Anti-brushing counts orders to one shop from one device. A browser gets `vm_device` on its first
response (two years, HttpOnly, SameSite=Lax; random, so it says nothing about the person). API
clients (apps) send their own install id in the `X-Device-Id` header, or the cookie. Either is
only a hint: a brusher can clear cookies, so it is one rule among several (docs/antifraud.md).
"""

from __future__ import annotations

import secrets

from .identity import clean_device_id

COOKIE = "vm_device"
HEADER = "X-Device-Id"
MAX_AGE = 2 * 365 * 24 * 3600


def device_id_of(request) -> str:
    """The request's device id: the header (API clients), else the cookie, else the one the
    middleware just made for this first visit; "" when none is well formed."""
    return (
        clean_device_id(request.headers.get(HEADER))
        or clean_device_id(request.COOKIES.get(COOKIE))
        or getattr(request, "new_device_id", "")
    )


class DeviceIdMiddleware:
    """Gives every visitor without a (well-formed) device cookie a new one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # API clients keep no cookie: they send X-Device-Id (or nothing) instead.
        missing = not clean_device_id(request.COOKIES.get(COOKIE)) and not request.path.startswith(
            ("/api/", "/static/", "/media/")
        )
        if missing:
            request.new_device_id = secrets.token_urlsafe(24)
        response = self.get_response(request)
        if missing:
            response.set_cookie(
                COOKIE,
                request.new_device_id,
                max_age=MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
