import datetime

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _antifraud_on(settings):
    """The suite turns the checks off for other apps' tests (their accounts are seconds old)."""
    from villagemarket.antifraud import checks

    settings.ANTIFRAUD_CHECKS = True
    checks.forget_rules()  # each test's database has its own rules
    yield
    checks.forget_rules()


@pytest.fixture
def seasoned(buyer):
    """The buyer, signed up a month ago (so the new-account rule stays quiet)."""
    from villagemarket.accounts.models import User

    User.objects.filter(pk=buyer.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=30)
    )
    buyer.refresh_from_db()
    return buyer


@pytest.fixture(autouse=True)
def _rules_seeded(request):
    """The data migration seeds the rules; a transactional test's flush empties the table, so
    put the defaults back for those (the others see the migrated rows)."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        return
    import importlib

    from villagemarket.antifraud.models import Rule

    seed = importlib.import_module("villagemarket.antifraud.migrations.0002_default_rules")
    for code, threshold, window in seed.DEFAULTS:
        Rule.objects.get_or_create(
            code=code, defaults={"threshold": threshold, "window_minutes": window}
        )
