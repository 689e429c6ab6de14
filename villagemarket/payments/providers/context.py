"""Template context: whether this site simulates payments (a staging site in production mode)."""

from django.conf import settings

from .base import sandbox_enabled


def payments_notice(request) -> dict[str, bool]:
    # Development always runs the sandbox (the demo): the banner is for a production-mode site
    # that a person could mistake for the real shop.
    production = bool(getattr(settings, "PRODUCTION", False))
    return {"PAYMENTS_SIMULATED": production and sandbox_enabled()}
