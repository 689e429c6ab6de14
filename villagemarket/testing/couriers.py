"""shipping's couriers come from a data migration. A transactional test ends with a flush that
empties every table, the seeded couriers included, so the tests after it seed them again (with the
migration's own function) when they find the table empty."""

from __future__ import annotations

from importlib import import_module


def ensure_couriers() -> None:
    """Seed the couriers when a flush emptied their table (a no-op otherwise)."""
    from django.apps import apps

    from villagemarket.shipping.models import Courier

    if not Courier.objects.exists():
        import_module("villagemarket.shipping.migrations.0004_seed_couriers").seed(apps, None)
