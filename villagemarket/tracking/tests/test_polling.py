"""Polling with backoff: next_poll_at grows after polls with nothing new, resets on news, backs
off exponentially on errors, stops once delivered or no longer shipped."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from villagemarket.orders import services as orders
from villagemarket.orders.tests.factories import paid_order
from villagemarket.tracking import rules, services
from villagemarket.tracking.models import Parcel, TrackingEvent
from villagemarket.tracking.providers import ParcelEvent, ProviderError

pytestmark = pytest.mark.django_db
SCHEDULE = rules.Schedule(poll_minutes=60, max_poll_minutes=720, error_minutes=10)
T0 = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)


class Scripted:
    """A provider that answers what the test says (events, or an error)."""

    name = "scripted"

    def __init__(self):
        self.events: list[ParcelEvent] = []
        self.error: str | None = None
        self.calls = 0

    def fetch(self, courier_code, number, phone_tail, *, shipped_at=None):
        self.calls += 1
        if self.error:
            raise ProviderError(self.error)
        return list(self.events)


def event(status: str, hours_ago: float, text: str = "") -> ParcelEvent:
    return ParcelEvent(
        time=timezone.now() - datetime.timedelta(hours=hours_ago),
        status=status,
        location="济南",
        description=text or status,
    )


@pytest.fixture
def tracked(buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    return orders.ship_order(
        shop=order.shop, order_id=order.pk, carrier="ZTO", tracking_no="75123456789012"
    )


def parcel_of(order) -> Parcel:
    return Parcel.objects.get(order=order)


def minutes_until_next(order) -> float:
    parcel = parcel_of(order)
    return (parcel.next_poll_at - parcel.last_polled_at).total_seconds() / 60


# --- the pure rule ------------------------------------------------------------------------------
def test_the_wait_doubles_after_each_poll_with_nothing_new_up_to_the_cap():
    waits = [
        (rules.next_poll_at(T0, SCHEDULE, unchanged_polls=n) - T0).total_seconds() / 60
        for n in range(7)
    ]
    assert waits == [60, 120, 240, 480, 720, 720, 720]


def test_errors_back_off_exponentially_and_finished_parcels_are_not_polled():
    waits = [
        (rules.next_poll_at(T0, SCHEDULE, failures=n) - T0).total_seconds() / 60
        for n in range(1, 9)
    ]
    assert waits == [10, 20, 40, 80, 160, 320, 640, 720]
    assert rules.next_poll_at(T0, SCHEDULE, finished=True) is None


# --- polling --------------------------------------------------------------------------------
def test_shipping_with_a_listed_courier_starts_tracking_and_an_unlisted_one_does_not(
    tracked, buyer, address, sku_a
):
    assert parcel_of(tracked).next_poll_at is not None
    other = paid_order(buyer, address, sku_a)
    orders.ship_order(shop=other.shop, order_id=other.pk, carrier="村村通", tracking_no="CC123456")
    assert not Parcel.objects.filter(order=other).exists()


def test_each_step_is_stored_once_and_quiet_polls_wait_longer(tracked):
    provider = Scripted()
    provider.events = [event("accepted", 5)]
    assert services.poll_parcel(parcel_of(tracked), provider) == 1
    assert minutes_until_next(tracked) == 60
    assert services.poll_parcel(parcel_of(tracked), provider) == 0
    assert minutes_until_next(tracked) == 120
    assert services.poll_parcel(parcel_of(tracked), provider) == 0
    assert minutes_until_next(tracked) == 240
    provider.events.append(event("in_transit", 1))
    assert services.poll_parcel(parcel_of(tracked), provider) == 1
    assert minutes_until_next(tracked) == 60  # news: back to the short wait
    assert TrackingEvent.objects.filter(order=tracked).count() == 2
    assert parcel_of(tracked).last_status == "in_transit"


def test_provider_errors_back_off_and_are_recorded(tracked):
    provider = Scripted()
    provider.error = "quota"
    for expected in (10, 20, 40):
        services.poll_parcel(parcel_of(tracked), provider)
        assert minutes_until_next(tracked) == expected
    parcel = parcel_of(tracked)
    assert (parcel.failures, parcel.last_error) == (3, "quota")
    provider.error = None
    provider.events = [event("accepted", 1)]
    services.poll_parcel(parcel_of(tracked), provider)
    assert (parcel_of(tracked).failures, minutes_until_next(tracked)) == (0, 60)


def test_a_delivered_parcel_moves_the_order_s_clock_and_is_not_polled_again(tracked):
    provider = Scripted()
    provider.events = [event("accepted", 30), event("out_for_delivery", 3), event("delivered", 2)]
    services.poll_parcel(parcel_of(tracked), provider)
    tracked.refresh_from_db()
    assert tracked.delivered_at == provider.events[-1].time
    assert tracked.auto_complete_at == tracked.delivered_at + datetime.timedelta(days=3)
    assert parcel_of(tracked).next_poll_at is None


def test_a_completed_order_stops_being_polled(tracked, buyer):
    orders.confirm_receipt(buyer=buyer, order_id=tracked.pk)
    assert parcel_of(tracked).next_poll_at is None
    assert services.poll_due_parcels(provider=Scripted()) == 0


def test_the_sweep_polls_only_due_parcels_in_bounded_batches(tracked, buyer, address, sku_a):
    others = []
    for n in range(3):
        order = paid_order(buyer, address, sku_a)
        others.append(
            orders.ship_order(
                shop=order.shop, order_id=order.pk, carrier="ZTO", tracking_no=f"7512345678900{n}"
            )
        )
    Parcel.objects.filter(order=others[-1]).update(
        next_poll_at=timezone.now() + datetime.timedelta(hours=1)
    )
    provider = Scripted()
    assert services.poll_due_parcels(limit=2, provider=provider) == 2
    assert services.poll_due_parcels(limit=2, provider=provider) == 1  # the third due one
    assert services.poll_due_parcels(limit=2, provider=provider) == 0  # nothing due now
    assert provider.calls == 3


def test_the_worker_task_runs_the_sweep_with_the_sandbox(tracked):
    from villagemarket.tracking.tasks import PERIODIC, poll_tracking

    assert poll_tracking in PERIODIC
    assert services.poll_due_parcels() == 1  # the sandbox: nothing happened yet, polled anyway
    assert parcel_of(tracked).next_poll_at > timezone.now()
