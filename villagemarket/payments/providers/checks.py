"""System checks: production cannot take orders without a real payment provider.

payments.E001 (an error, so `check`, `migrate` and `villagemarket worker` refuse to run, and
wsgi/asgi refuse to serve through `ensure_payments_configured`): the default provider is missing,
unknown or disabled. There is no real provider yet, so a production site runs only as a staging
site with PAYMENTS_SANDBOX_ENABLED=1.
payments.W001 (`check --deploy`): the sandbox is enabled, so payments are simulated.
"""

from __future__ import annotations

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .base import SANDBOX, default_provider_name, provider_paths, sandbox_enabled

HINT = (
    "Configure a real payment provider (PAYMENT_PROVIDERS and PAYMENT_DEFAULT_PROVIDER) or set "
    "PAYMENTS_SANDBOX_ENABLED=1 for a staging site. VillageMarket has no real provider yet: only "
    "the sandbox, which simulates payments."
)


def payment_configuration_problem() -> str | None:
    """Why checkout could not take payments with this configuration, or None."""
    name = default_provider_name()
    if not name:
        return "No payment provider is configured (the sandbox is off in production)."
    if name == SANDBOX and not sandbox_enabled():
        return "PAYMENT_DEFAULT_PROVIDER is the sandbox, but the sandbox is off in production."
    if name not in provider_paths():
        known = ", ".join(sorted(provider_paths())) or "none"
        return f"PAYMENT_DEFAULT_PROVIDER={name!r} is not a registered provider (known: {known})."
    return None


@checks.register(checks.Tags.security)
def check_payment_provider(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    problem = payment_configuration_problem()
    return [checks.Error(problem, hint=HINT, id="payments.E001")] if problem else []


@checks.register(checks.Tags.security, deploy=True)
def check_sandbox_not_deployed(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not sandbox_enabled():
        return []
    return [
        checks.Warning(
            "The sandbox payment provider is enabled: payments are simulated and no money moves.",
            hint="Only for a staging site (every page then says so in a banner). " + HINT,
            id="payments.W001",
        )
    ]


def ensure_payments_configured() -> None:
    """Refuse to serve (wsgi/asgi) when checkout could not take real or staged payments."""
    if problem := payment_configuration_problem():
        raise ImproperlyConfigured(f"{problem} {HINT}")
