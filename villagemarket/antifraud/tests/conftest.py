import datetime

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _antifraud_on(settings):
    """The suite turns the checks off for other apps' tests (their accounts are seconds old)."""
    settings.ANTIFRAUD_CHECKS = True


@pytest.fixture
def seasoned(buyer):
    """The buyer, signed up a month ago (so the new-account rule stays quiet)."""
    from villagemarket.accounts.models import User

    User.objects.filter(pk=buyer.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=30)
    )
    buyer.refresh_from_db()
    return buyer
