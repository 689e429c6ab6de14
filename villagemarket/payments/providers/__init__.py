"""Payment providers behind one interface (base.py); the built-in sandbox (sandbox.py)."""

from .base import (
    Notification,
    NotificationRefused,
    default_provider_name,
    get_provider,
    sandbox_enabled,
)

__all__ = [
    "Notification",
    "NotificationRefused",
    "default_provider_name",
    "get_provider",
    "sandbox_enabled",
]
