"""Demo step: anti-brushing. A small brushing ring in the operator's queue, made by the real
services with the rules live: four accounts made minutes ago order from one shop, three to
one address, all from one phone, within the hour; one parcel is "confirmed" minutes after
shipment under a tracking number another order already used. The queue
(/operator/brushing/) shows the shop with each order's flags and figures.

The demo's own story (its one buyer, an account made seconds before it buys, confirming parcels
at once) trips the same rules; the operator has cleared those flags as known test purchases, so
their sales count on their days, and they show under "cleared".

Idempotent: the ring's checkouts are keyed by form tokens; a second run adds nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from villagemarket.accounts.models import User
from villagemarket.antifraud.models import Flag, FlagStatus
from villagemarket.antifraud.services import decide
from villagemarket.catalog.models import SKU
from villagemarket.orders.models import CheckoutRequest, ShopOrder
from villagemarket.orders.services import confirm_receipt, place_order, save_address, ship_order
from villagemarket.shops.models import Shop, ShopStatus

from . import data
from .buying import _pay

RING = [f"brush{n}@demo.villagemarket" for n in range(1, 5)]
PHONE = "demo-brushing-phone-0001"
STORY_NOTE = "Demo story: the demo buyer's own test purchases, known to the operator."


def _ring_shop() -> Shop | None:
    """An active shop other than the 丁楼村 seller's, with something in stock."""
    seller = User.objects.get(email=data.SELLER)
    return (
        Shop.objects.filter(status=ShopStatus.ACTIVE, products__skus__stock__gte=5)
        .exclude(members__user=seller)
        .order_by("id")
        .first()
    )


def _member(email: str, n: int) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, display_name=f"新用户{n}")
    # Signed up three minutes before ordering: the new-account rule's case.
    User.objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - datetime.timedelta(minutes=3)
    )
    return user


def _ring(shop: Shop) -> int:
    sku = SKU.objects.for_sale().filter(product__shop=shop, stock__gte=5).order_by("id").first()
    orders = []
    village = shop.village.short_name
    # Three of them to one address (written two ways), one "next door".
    details = [
        f"{village} 5 组 8 号",
        f"{village}5组8号",
        f"{village} 5 组 9 号",
        f"{village}5组8号",
    ]
    for n, email in enumerate(RING, start=1):
        buyer = _member(email, n)
        address = buyer.addresses.first() or save_address(
            user=buyer,
            region_code=shop.village.parent_id,
            detail=details[n - 1],
            recipient=f"李{n}",
            mobile=f"1370000000{n}",
        )
        result = place_order(
            buyer=buyer,
            address_id=address.pk,
            items=[(sku.pk, 1)],
            form_token=f"demo:antifraud:{n}",
            device_id=PHONE,
        )
        _pay(result.payment)
        orders.append((buyer, result.orders[0]))
    # One tracking number on two parcels to two addresses; the second "arrives" five minutes
    # after it was handed to the carrier.
    for _buyer, order in (orders[0], orders[2]):
        ship_order(shop=shop, order_id=order.pk, carrier="圆通速递", tracking_no="YT9988776655")
    buyer, last = orders[2]
    ShopOrder.objects.filter(pk=last.pk).update(
        shipped_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    confirm_receipt(buyer=buyer, order_id=last.pk)
    return len(orders)


def _clear_story(operator: User) -> int:
    """Clear the flags the demo's own story raised (every open flag not on the ring's orders)."""
    ring = Q(order__buyer__email__in=RING)
    subjects = (
        Flag.objects.filter(status=FlagStatus.OPEN, order__isnull=False)
        .exclude(ring)
        .values_list("order_id", flat=True)
        .distinct()
    )
    cleared = 0
    for order_id in sorted(set(subjects)):
        cleared += decide(operator=operator, confirm=False, note=STORY_NOTE, order_id=order_id)
    # The ring writes no reviews: a flagged review is the story's (shown again).
    reviews = Flag.objects.filter(status=FlagStatus.OPEN, review_id__isnull=False)
    for review_id in sorted(set(reviews.values_list("review_id", flat=True))):
        cleared += decide(operator=operator, confirm=False, note=STORY_NOTE, review_id=review_id)
    return cleared


def antifraud(ctx) -> str:
    """The brushing ring in the queue; the story's own flags cleared."""
    operator = User.objects.get(email=data.OPERATOR)
    made = 0
    shop = _ring_shop()
    done = CheckoutRequest.objects.filter(key__startswith="demo:antifraud:").exists()
    if shop is not None and not done:
        with transaction.atomic():
            made = _ring(shop)
    cleared = _clear_story(operator)
    flagged = Flag.objects.filter(status=FlagStatus.OPEN).count()
    return f"{made} brushing orders, {flagged} open flags, {cleared} story flags cleared"
