"""Absolute URLs from the configured site address (settings.SITE_URL), never from a request.

A request's Host header is chosen by the client: Django's ALLOWED_HOSTS check ignores the port,
so `Host: 127.0.0.1:6666` passes it. An address built from the request would carry that choice
into password-reset mails, invitation links and the notification URL the worker POSTs to. Every
absolute URL the app makes comes from here instead.

SITE_URL is `scheme://host[:port]` with no path (settings.py refuses anything else; production
requires https). Paths come from `reverse()`, which already includes any script prefix.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse


def site_url() -> str:
    """The configured public base address, without a trailing slash."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """`path` (starting with "/", e.g. from reverse()) on the configured site address."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"absolute_url needs a path starting with one '/', got {path!r}")
    return site_url() + path


def absolute_reverse(viewname: str, *args, **kwargs) -> str:
    """reverse() made absolute on the configured site address."""
    return absolute_url(reverse(viewname, args=args or None, kwargs=kwargs or None))


def site_domain() -> str:
    """host[:port] of the site address (what Django's password-reset mail calls `domain`)."""
    return urlsplit(site_url()).netloc


def site_uses_https() -> bool:
    return urlsplit(site_url()).scheme == "https"
