"""How many statements a payment notification costs once the process knows the ledger's
accounts: pinned, so a change that adds a query to the hottest write path is seen in review.

Counted: every statement the notification sends (savepoints too), less BEGIN/COMMIT, which only
SQLite's driver shows. The figure: 15 (19 before the ledger's account lookups were remembered
per process; see ledger/services.py). What the 15 are, in order: the payment; the notification's
key (savepoint, insert, release); the guarded move to succeeded; the `succeeded` event; the
capture posting (savepoint, lookup of an earlier posting, savepoint, transaction, entries,
release, release); the orders (locked) and their guarded move to awaiting shipment.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from villagemarket.ledger.models import EventType, LedgerTransaction
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.services import place_order

from .conftest import body_for, post_notification

# The payment, its events, the ledger's capture and the orders' move: 15 statements. Each shop
# order paid then tells its seller (notifications' listener, in the same transaction): the order,
# its members and their addresses, the once-only check, the notification (in a savepoint), the
# members' channel choices and the e-mail delivery: 9 per shop order (two here). Anti-brushing's
# payer check is off in tests (conftest); on, it adds 2 per shop order (docs/antifraud.md).
PAYMENT_QUERIES, NOTIFY_QUERIES_PER_ORDER = 15, 9
NOTIFICATION_QUERIES = PAYMENT_QUERIES + 2 * NOTIFY_QUERIES_PER_ORDER


def statements(ctx) -> list[str]:
    return [
        query["sql"]
        for query in ctx.captured_queries
        if query["sql"].split()[0].upper() not in ("BEGIN", "COMMIT")
    ]


@pytest.mark.django_db(transaction=True)  # accounts are remembered only once committed
def test_a_payment_notification_costs_a_fixed_number_of_statements(
    buyer, address, sku_a, sku_b, payment
):
    # given a process that has already posted a capture (it knows the accounts)
    assert post_notification(body_for(payment)).status_code == 200
    second = place_order(
        buyer=buyer, address_id=address.pk, items=[(sku_a.pk, 1), (sku_b.pk, 1)]
    ).payment
    # when the next payment's notification arrives
    with CaptureQueriesContext(connection) as ctx:
        answer = post_notification(body_for(second, trade_no="SBX2"))
    # then it did all it must, in the pinned number of statements
    assert answer.status_code == 200
    assert LedgerTransaction.objects.filter(
        event=EventType.PAYMENT_CAPTURED, reference=str(second.public_id)
    ).exists()
    assert set(ShopOrder.objects.filter(payment=second).values_list("status", flat=True)) == {
        "awaiting_shipment"
    }
    assert len(statements(ctx)) == NOTIFICATION_QUERIES, "\n".join(statements(ctx))
