"""A worker SIGKILLed in the middle of settling, then restarted, settles each order exactly once.

Real `villagemarket worker` processes on the test database. On PostgreSQL always; on SQLite when
the test database is a file (`VM_TEST_DB_NAME=/tmp/vm-test.sqlite3`): by default pytest-django
keeps SQLite's test database in the test process's memory, out of a subprocess's reach.
Hundreds of delivered orders are past their automatic confirmation; the auto-complete sweep
completes and settles them in batches of SWEEP_BATCH, one transaction each. The test kills the
worker once the first batch has committed and the next is under way, checks that the kill
really came mid-way, restarts a worker and waits for the rest.
"""

from __future__ import annotations

import functools
import signal

import pytest
from django.db import connection
from django.db.models import Count, Sum

from villagemarket.core.money import Money
from villagemarket.ledger.invariants import EscrowFacts, assert_sound
from villagemarket.ledger.models import AccountKind, Entry, EventType, LedgerTransaction
from villagemarket.orders import services
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.services.fulfilment import SWEEP_BATCH
from villagemarket.orders.tests.factories import due_for_auto_complete
from villagemarket.orders.tests.money_invariants import (
    escrow_problems,
    payable_problems,
    settlement_problems,
)
from villagemarket.payments import services as payments
from villagemarket.payments.models import Payment
from villagemarket.payments.providers import sandbox
from villagemarket.testing import make_product, make_shop, make_user
from villagemarket.testing.workers import (
    subprocess_database_url,
    terminate_worker_backends,
    worker_processes,
)

from .test_worker_survives import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SHOPS = 30
CHECKOUTS = 24  # SHOPS * CHECKOUTS orders: several sweep batches


@pytest.fixture
def workers(tmp_path):
    """Start `manage.py worker` processes on the test database (either engine); all are
    stopped afterwards. A restarted worker re-queues a killed one's task after 2 s, not 15
    minutes."""
    url = subprocess_database_url()
    if url is None:
        pytest.skip("SQLite's test database is in memory; set VM_TEST_DB_NAME to a file")
    with worker_processes(tmp_path, url) as start:
        yield functools.partial(start, WORKER_ORPHAN_TIMEOUT_SECONDS="2")
    if connection.vendor == "postgresql":
        terminate_worker_backends()


def delivered_orders(buyer, address, village) -> list[int]:
    """SHOPS x CHECKOUTS orders, paid through sandbox notifications, shipped, and past their
    automatic confirmation. Returns their ids."""
    owner = make_user("owner@example.com")
    skus = []
    for i in range(SHOPS):
        shop = make_shop(owner, village, name=f"店{i}", slug=f"shop-{i}")
        skus.append(make_product(shop, price_minor=1000 + 37 * i, stock=CHECKOUTS).skus.get().pk)
    for n in range(CHECKOUTS):
        result = services.place_order(
            buyer=buyer, address_id=address.pk, items=[(sku, 1) for sku in skus]
        )
        body = sandbox.notification_body(result.payment, trade_no=f"SBX{n}", outcome="succeeded")
        outcome = payments.receive_notification("sandbox", sandbox.signed_headers(body), body)
        assert outcome.result == "processed"
    for order in ShopOrder.objects.select_related("shop").order_by("pk"):
        services.ship_order(
            shop=order.shop, order_id=order.pk, carrier="中通快递", tracking_no=f"ZT{order.pk:08d}"
        )
    due_for_auto_complete(status="shipped")
    return list(ShopOrder.objects.values_list("pk", flat=True))


def completed() -> int:
    return ShopOrder.objects.filter(status="completed").count()


def settlements() -> int:
    return LedgerTransaction.objects.filter(event=EventType.ORDER_SETTLED).count()


def settling_now() -> bool:
    """Another session on the test database is inside a transaction that has written (holds a
    transaction id): the worker's sweep, between BEGIN and COMMIT of a batch. (SQLite cannot
    tell; there the test relies on "some but not all" alone.)"""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
        )
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_while_settling_and_restarted_settles_each_order_once(
    buyer,
    address,
    village,
    workers,  # noqa: F811
):
    # given hundreds of delivered orders past their automatic confirmation
    orders = delivered_orders(buyer, address, village)
    assert len(orders) >= 3 * SWEEP_BATCH

    # when a worker starts settling them and is killed once the first batch has committed
    first = workers()
    wait_for(lambda: completed() > 0, timeout=300, what="the first settlements")
    wait_for(
        lambda: settling_now() or completed() == len(orders),
        timeout=60,
        what="the next batch under way",
    )
    first.send_signal(signal.SIGKILL)
    first.wait()
    if connection.vendor == "postgresql":
        terminate_worker_backends()  # its server session goes with it (rolling back its batch)
    at_kill = completed()

    # then the kill came mid-way, and nothing is half-done: every completed order is settled
    print(f"\nkilled with {at_kill} of {len(orders)} orders completed and settled")
    assert 0 < at_kill < len(orders), f"{at_kill} of {len(orders)} completed at the kill"
    assert settlements() == at_kill
    assert settlement_problems() == []

    # when a worker starts again
    workers()
    wait_for(lambda: completed() == len(orders), timeout=300, what="every order to complete")

    # then every order is completed and settled exactly once, for its whole total
    assert settlements() == len(orders)
    per_order = (
        LedgerTransaction.objects.filter(event=EventType.ORDER_SETTLED)
        .values("reference")
        .annotate(n=Count("pk"))
    )
    assert {row["reference"] for row in per_order} == {f"order:{pk}" for pk in orders}
    assert {row["n"] for row in per_order} == {1}
    assert settlement_problems() == []
    assert payable_problems() == []
    assert escrow_problems() == []
    captured = Payment.objects.filter(status="succeeded").aggregate(s=Sum("amount_minor"))["s"]
    total = ShopOrder.objects.aggregate(s=Sum("total_minor"))["s"]
    assert captured == total
    assert_sound([EscrowFacts(Money(captured), Money(0), Money(total))])
    held = Entry.objects.filter(account__kind=AccountKind.ESCROW).aggregate(s=Sum("amount_minor"))
    assert (held["s"] or 0) == 0  # escrow is empty: everything went to the sellers
