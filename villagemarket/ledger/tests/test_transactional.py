"""A test that commits ledger rows still ends cleanly on both databases (see testing/ledger.py)."""

import pytest
from django.db import connection

from villagemarket.core.money import Money
from villagemarket.ledger import services
from villagemarket.ledger.models import Entry


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_no", [1, 2])
def test_committed_postings_are_cleared_between_transactional_tests(round_no):
    # The second round starts with an empty ledger: the first one's committed rows were cleared
    # although the database refuses DELETE on them.
    assert not Entry.objects.exists()

    services.record_payment_captured(reference="p1", provider="sandbox", amount=Money(100))

    assert Entry.objects.count() == 2
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
            assert cursor.fetchone()[0] >= 4
