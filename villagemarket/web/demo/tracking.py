"""Demo step: tracked parcels. The demo buyer gets four parcels shipped days ago with real-looking
courier codes and numbers, and the sandbox provider gives each its journey: one delivered (its
automatic confirmation moved earlier), two on the way, one stuck with a problem."""

from __future__ import annotations

import datetime

from django.utils import timezone

from villagemarket.accounts.models import User
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.services import place_order, ship_order
from villagemarket.shops.models import Shop, ShopStatus
from villagemarket.tracking.models import Parcel
from villagemarket.tracking.providers.sandbox import SandboxProvider
from villagemarket.tracking.services import poll_parcel

from . import data
from .buying import _pay, _skus_of, buyer_address

# (courier code, tracking number, shipped this many hours ago)
PARCELS = [
    ("SF", "SF1432100000017", 100),  # delivered
    ("ZTO", "75312000000026", 40),  # in transit
    ("YD", "4312000000035", 20),  # in transit
    ("JT", "JT0000000000044", 50),  # ends in 4: the sandbox's problem parcel
]


def tracking_demo(ctx) -> str:
    """Place, pay and ship the demo buyer's tracked parcels, then poll the sandbox for them."""
    buyer = User.objects.get(email=data.BUYER)
    address = buyer_address(buyer)
    shops = list(Shop.objects.filter(status=ShopStatus.ACTIVE).order_by("id")[: len(PARCELS)])
    made = 0
    for n, ((code, number, hours), shop) in enumerate(zip(PARCELS, shops, strict=False)):
        token = f"demo:tracking:{n}"
        if ShopOrder.objects.filter(buyer=buyer, tracking_no=number).exists():
            continue
        skus = _skus_of(shop, 1)
        if not skus:
            continue
        result = place_order(
            buyer=buyer, address_id=address.pk, items=[(skus[0].pk, 1)], form_token=token
        )
        _pay(result.payment)
        order = ship_order(
            shop=shop, order_id=result.orders[0].pk, carrier=code, tracking_no=number
        )
        # Handed to the courier some days ago (the deadline counts from then, as it would have).
        shipped = timezone.now() - datetime.timedelta(hours=hours)
        ShopOrder.objects.filter(pk=order.pk).update(
            shipped_at=shipped, auto_complete_at=shipped + datetime.timedelta(days=10)
        )
        made += 1
    provider = SandboxProvider()
    events = 0
    for parcel in Parcel.objects.filter(order__buyer=buyer, next_poll_at__isnull=False):
        events += poll_parcel(parcel, provider)
    return f"{made} tracked parcels, {events} tracking events"
