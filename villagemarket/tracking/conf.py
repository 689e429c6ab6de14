"""Tracking's settings: settings.TRACKING (a dict) over these defaults. docs/tracking.md."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    "provider": "sandbox",  # or "kuaidi100"
    "kuaidi100_customer": "",
    "kuaidi100_key": "",
    "poll_minutes": 60,  # between polls while news keeps coming
    "max_poll_minutes": 12 * 60,  # the longest wait between polls
    "error_minutes": 10,  # the first wait after a provider error (doubles per error)
    "sweep_batch": 100,  # parcels polled per sweep (per worker minute)
    "refresh_limit": 3,  # hand refreshes per order per hour
    "sandbox_days": 3,  # the sandbox delivers after this many days (+0 or 1)
    "sandbox_exception_suffix": "4",  # sandbox numbers ending so run into a problem
}


def option(name: str):
    return {**DEFAULTS, **getattr(settings, "TRACKING", {})}[name]
