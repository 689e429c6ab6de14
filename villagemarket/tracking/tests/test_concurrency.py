"""Two workers sweeping at once poll each parcel once (PostgreSQL: real concurrent sessions)."""

from __future__ import annotations

import contextlib
import threading

import pytest

from villagemarket.orders import services as orders
from villagemarket.orders.tests.factories import paid_order
from villagemarket.testing.threads import run_together
from villagemarket.tracking import services

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


class Meeting:
    """A provider whose calls wait (a bounded time) for a second call: if two sweeps polled the
    same parcel, both would be inside fetch together, before either stored anything."""

    name = "meeting"

    def __init__(self):
        self.calls = 0
        self.lock = threading.Lock()
        self.barrier = threading.Barrier(2, timeout=3)

    def fetch(self, courier_code, number, phone_tail, *, shipped_at=None):
        with self.lock:
            self.calls += 1
        with contextlib.suppress(threading.BrokenBarrierError):  # alone, as it should be
            self.barrier.wait()
        return []


def test_two_sweeps_at_once_poll_a_due_parcel_once(buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    orders.ship_order(
        shop=order.shop, order_id=order.pk, carrier="ZTO", tracking_no="75123456789012"
    )
    provider = Meeting()
    polled = run_together(
        lambda: services.poll_due_parcels(provider=provider),
        lambda: services.poll_due_parcels(provider=provider),
    )
    assert sorted(polled) == [0, 1]
    assert provider.calls == 1
