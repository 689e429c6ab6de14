"""Parcel tracking use-cases: start tracking a shipped order, poll the provider, refresh by hand.

The provider is asked outside any transaction (a slow courier must not hold row locks); what it
said is then stored in one transaction, each step once (unique fingerprint per order), with the
"delivered" consequence (orders.services.mark_delivered) and the next poll time.
"""

from __future__ import annotations

import datetime
import hashlib
import logging

from django.db import transaction
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.core.errors import Conflict, RateLimited
from villagemarket.core.ratelimit import FixedWindow
from villagemarket.orders import hooks as order_hooks
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.services import mark_delivered
from villagemarket.orders.states import Event, Status

from . import rules
from .conf import option
from .models import Parcel, TrackingEvent, TrackingStatus
from .providers import ParcelEvent, Provider, ProviderError, get_provider

log = logging.getLogger(__name__)

# A claimed parcel is not due again for this long (another worker skips it meanwhile).
CLAIM_LEASE = datetime.timedelta(minutes=10)
STOPPING_EVENTS = {Event.CONFIRM, Event.AUTO_COMPLETE, Event.REFUND}


def schedule() -> rules.Schedule:
    """The poll schedule from settings.TRACKING (tracking/conf.py)."""
    return rules.Schedule(
        poll_minutes=option("poll_minutes"),
        max_poll_minutes=option("max_poll_minutes"),
        error_minutes=option("error_minutes"),
    )


def refresh_window() -> FixedWindow:
    """The hand-refresh allowance: `refresh_limit` per order per hour (shared cache)."""
    return FixedWindow(scope="tracking-refresh", limit=option("refresh_limit"), window=60 * 60)


def on_order_event(event: order_hooks.OrderEvent) -> None:
    """orders' event hook (inside the step's transaction): a shipped order starts being
    tracked; a completed or refunded one stops."""
    if event.refund_id is not None:
        return
    if event.kind == Event.SHIP:
        start_tracking(event.order_id)
    elif event.kind in STOPPING_EVENTS:
        Parcel.objects.filter(order_id=event.order_id).update(next_poll_at=None)


def start_tracking(order_id: int) -> Parcel | None:
    """Track a shipped order's parcel (listed couriers only; others return None). Polled first
    at once by the next sweep."""
    order = ShopOrder.objects.select_related("courier").get(pk=order_id)
    if order.courier_id is None:
        return None
    parcel, _created = Parcel.objects.update_or_create(
        order=order,
        defaults={
            "courier_code": order.courier.code,
            "tracking_no": order.tracking_no,
            "next_poll_at": timezone.now(),
            "unchanged_polls": 0,
            "failures": 0,
            "last_error": "",
        },
    )
    return parcel


def fingerprint(event: ParcelEvent) -> str:
    """What makes a step the same step when a provider repeats it (unique per order)."""
    text = f"{event.time.isoformat()}|{event.status}|{event.location}|{event.description}"
    return hashlib.sha256(text.encode()).hexdigest()


def _store(order: ShopOrder, events: list[ParcelEvent]) -> int:
    """Store the steps not stored yet; return how many were new."""
    known = set(TrackingEvent.objects.filter(order=order).values_list("fingerprint", flat=True))
    fresh: dict[str, TrackingEvent] = {}
    for event in events:
        if event.status not in TrackingStatus.values:
            continue
        key = fingerprint(event)
        if key in known or key in fresh:
            continue
        fresh[key] = TrackingEvent(
            order=order,
            time=event.time,
            status=event.status,
            location=event.location[:100],
            description=event.description[:500] or event.status,
            raw=event.raw,
            fingerprint=key,
        )
    # A poll racing this one may store the same steps: the unique fingerprint keeps one.
    TrackingEvent.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    return len(fresh)


def poll_parcel(parcel: Parcel, provider: Provider | None = None) -> int:
    """Ask the provider about one parcel and store what is new; returns how many steps were.
    Schedules the next poll (tracking/rules.py); a provider error backs off and is recorded."""
    provider = provider or get_provider()
    order = ShopOrder.objects.get(pk=parcel.order_id)
    now = timezone.now()
    if order.status != Status.SHIPPED:
        Parcel.objects.filter(pk=parcel.pk).update(next_poll_at=None)
        return 0
    try:
        events = provider.fetch(
            parcel.courier_code, parcel.tracking_no, order.mobile[-4:], shipped_at=order.shipped_at
        )
    except ProviderError as exc:
        failures = parcel.failures + 1
        log.warning("tracking of order %s failed (%d in a row): %s", order.pk, failures, exc)
        Parcel.objects.filter(pk=parcel.pk).update(
            failures=failures,
            last_error=str(exc)[:200],
            last_polled_at=now,
            next_poll_at=rules.next_poll_at(now, schedule(), failures=failures),
        )
        return 0
    with transaction.atomic():
        new = _store(order, events)
        delivered = sorted(e.time for e in events if e.status == TrackingStatus.DELIVERED)
        if delivered:
            mark_delivered(order.pk, delivered[0])
        latest = max(events, key=lambda e: e.time).status if events else parcel.last_status
        unchanged = 0 if new else parcel.unchanged_polls + 1
        Parcel.objects.filter(pk=parcel.pk).update(
            failures=0,
            last_error="",
            last_polled_at=now,
            last_status=latest,
            unchanged_polls=unchanged,
            next_poll_at=rules.next_poll_at(
                now, schedule(), unchanged_polls=unchanged, finished=bool(delivered)
            ),
        )
    return new


def poll_due_parcels(limit: int | None = None, provider: Provider | None = None) -> int:
    """The worker's sweep: poll at most `limit` (`sweep_batch`) parcels that are due
    (database clock), most overdue first. Each is claimed with a guarded UPDATE (its due time
    moves CLAIM_LEASE ahead), so two workers never poll one parcel at once. Returns how many
    were polled."""
    limit = limit or option("sweep_batch")
    due = list(
        Parcel.objects.filter(next_poll_at__lte=Now())
        .order_by("next_poll_at", "pk")
        .values_list("pk", "next_poll_at")[:limit]
    )
    provider = provider or get_provider()
    polled = 0
    for pk, due_at in due:
        claimed = Parcel.objects.filter(pk=pk, next_poll_at=due_at).update(
            next_poll_at=timezone.now() + CLAIM_LEASE
        )
        if claimed:
            poll_parcel(Parcel.objects.get(pk=pk), provider)
            polled += 1
    return polled


def refresh_tracking(order: ShopOrder, provider: Provider | None = None) -> int:
    """Someone allowed to see the order (buyer, shop staff, operator; the caller checks) asks
    for fresh tracking now. At most `refresh_limit` times an hour per order, whoever
    asks: RateLimited (429) past that. Conflict when the order's parcel is not tracked."""
    parcel = Parcel.objects.filter(order_id=order.pk).first()
    if parcel is None or order.status != Status.SHIPPED:
        raise Conflict(_("This parcel is not tracked."), code="not_tracked")
    if refresh_window().hit(f"order:{order.pk}") > option("refresh_limit"):
        raise RateLimited(_("Tracking was refreshed recently; try again later."))
    return poll_parcel(parcel, provider)
