"""Demo step: the 丁楼村 service station runs village pickups for itself and two partner shops of
大集镇 (the demo seller's costume shop among them): one batch handed over to ZTO today, and one
open batch with numbered parcels, its pick list and waybills ready to print.

Everything goes through the logistics and orders services. Idempotent: nothing is made when the
point already has a batch.
"""

from __future__ import annotations

from django.utils import timezone

from villagemarket.accounts.models import User
from villagemarket.logistics import selectors, services
from villagemarket.logistics.models import PickupBatch
from villagemarket.shops.models import Shop, ShopKind, ShopMember, ShopRole, ShopStatus

from . import data
from .money import _buy, _cast, _service_point, _skus

MEMBERS = 2


def _owner(shop: Shop) -> User:
    return ShopMember.objects.get(shop=shop, role=ShopRole.OWNER).user


def _members(point: Shop) -> list[Shop]:
    """The demo seller's shop first, then other plain shops of the point's township."""
    seller_shop = Shop.objects.filter(members__user__email=data.SELLER).first()
    nearby = (
        Shop.objects.filter(
            status=ShopStatus.ACTIVE,
            village__township_code=point.village.township_code,
            kind__in=[ShopKind.HOUSEHOLD, ShopKind.FACTORY],
        )
        .exclude(pk=point.pk)
        .order_by("pk")
    )
    shops = [s for s in nearby if s.pk == getattr(seller_shop, "pk", None)]
    shops += [s for s in nearby if s not in shops]
    return shops[:MEMBERS]


def _join(point: Shop, member: Shop) -> None:
    membership = services.invite_member(user=_owner(point), point=point, member_slug=member.slug)
    if membership.status == "invited":
        services.accept_membership(user=_owner(member), membership_id=membership.pk)


def _paid_orders(cast, point: Shop, others: list[Shop], tag: str) -> list[int]:
    """A paid order per household of the point and one per partner shop (not the demo seller's:
    its own sample orders stay as the buying step made them)."""
    orders = []
    for n, household in enumerate(point.households.order_by("pk")):
        skus = _skus(point, household)
        if skus:
            orders.append(_buy(cast, f"demo:pickup:{tag}:h{n}", [(skus[0], 1 + n % 2)], ship=False))
    for n, shop in enumerate(others):
        skus = _skus(shop)
        if skus:
            orders.append(_buy(cast, f"demo:pickup:{tag}:s{n}", [(skus[0], 1)], ship=False))
    return [o.pk for o in orders]


def logistics(ctx) -> str:
    point = _service_point()
    if point is None or PickupBatch.objects.filter(point=point).exists():
        return "pickups already there" if point else "no service point: skipped"
    members = _members(point)
    for member in members:
        _join(point, member)
    cast, staff, today = _cast(), _owner(point), timezone.localdate()
    others = [m for m in members if m.pk != cast.home.pk]

    # 1. This morning's pickup, handed over to ZTO: every order shipped at once.
    done = services.create_batch(user=staff, point=point, courier_code="ZTO", pickup_date=today)
    services.add_orders(
        point=point, batch_id=done.pk, order_ids=_paid_orders(cast, point, others, "am")
    )
    services.assign_range(point=point, batch_id=done.pk, start="75310000000101")
    services.hand_over(user=staff, point=point, batch_id=done.pk)

    # 2. The afternoon's batch: numbered from the courier's range, waybills ready, not handed over.
    fresh = _paid_orders(cast, point, others, "pm")
    batch = services.create_batch(
        user=staff, point=point, courier_code="ZTO", pickup_date=today, note="下午四点揽收"
    )
    waiting = [o.pk for o in selectors.candidate_orders(point)]
    services.add_orders(point=point, batch_id=batch.pk, order_ids=sorted({*fresh, *waiting}))
    services.assign_range(point=point, batch_id=batch.pk, start="75310000000201")
    return (
        f"pickup point {point.slug} with {len(members)} partner shops; "
        f"batch #{done.pk} handed over, batch #{batch.pk} open with "
        f"{batch.items.count()} parcels (log in as {staff.email})"
    )
