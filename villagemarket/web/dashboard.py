"""What an operator sees first: the queues that wait for a person, and today's figures.

Reads only (web sits at the top of the layers, so it may read every app's tables); each queue is
a short list with its full count and a link to the back-office list that works it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from villagemarket.core.money import BASE_CURRENCY, Money
from villagemarket.moderation import hooks as moderation_hooks
from villagemarket.moderation import selectors as moderation_selectors
from villagemarket.orders.models import ShopOrder
from villagemarket.payments.models import Payment, PaymentStatus
from villagemarket.shops.models import Shop, ShopStatus

QUEUE_LENGTH = 10


@dataclass(frozen=True)
class Queue:
    items: list
    count: int


@dataclass(frozen=True)
class Today:
    orders: int
    paid: list[Money]  # one amount per currency paid today; CNY first, zero when nothing was paid
    new_shops: int


def _queue(queryset) -> Queue:
    return Queue(items=list(queryset[:QUEUE_LENGTH]), count=queryset.count())


def shops_to_verify() -> Queue:
    """Shops waiting for review, oldest first (they have waited longest)."""
    pending = Shop.objects.filter(status=ShopStatus.PENDING).select_related("village")
    return _queue(pending.order_by("created_at", "pk"))


def moderation_cases() -> Queue:
    """Content waiting for a moderation decision (held by screening or reported), oldest first;
    each case carries its kind's label as `label`."""
    cases = moderation_selectors.queue()
    queue = _queue(cases)
    for case in queue.items:
        registered = moderation_hooks.kind(case.kind)
        case.label = registered.label if registered else case.kind
    return queue


def payments_to_refund() -> Queue:
    """Payments that arrived after their orders closed: the money must go back to the buyer."""
    flagged = Payment.objects.filter(needs_refund=True).select_related("buyer")
    return _queue(flagged.order_by("paid_at", "pk"))


def start_of_today(now: dt.datetime | None = None) -> dt.datetime:
    """Midnight in the site's time zone (a market day in China starts at 00:00 Beijing time)."""
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def today(now: dt.datetime | None = None) -> Today:
    since = start_of_today(now)
    paid_rows = (
        Payment.objects.filter(status=PaymentStatus.SUCCEEDED, paid_at__gte=since)
        .values("currency")
        .annotate(total=Sum("amount_minor"))
        .order_by("currency")
    )
    paid = {row["currency"]: Money(int(row["total"]), row["currency"]) for row in paid_rows}
    base = paid.pop(BASE_CURRENCY, Money.zero())
    return Today(
        orders=ShopOrder.objects.filter(created_at__gte=since).count(),
        paid=[base, *paid.values()],
        new_shops=Shop.objects.filter(created_at__gte=since).count(),
    )
