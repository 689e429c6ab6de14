"""Reads of village pickups, shared by pages and the API: batches, the orders a point may gather,
pick lists per household."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from villagemarket.core.errors import NotFound
from villagemarket.orders.models import ShopOrder, ShopOrderLine
from villagemarket.orders.states import Status
from villagemarket.shipping.couriers import courier_by_code
from villagemarket.shops.models import Shop

from .models import MembershipStatus, PickupBatch, PickupItem, PickupMembership


def served_shop_ids(point: Shop) -> list[int]:
    """The point itself and the shops whose accepted membership it holds now."""
    members = PickupMembership.objects.filter(
        point=point, status=MembershipStatus.ACCEPTED
    ).values_list("member_id", flat=True)
    return [point.pk, *members]


def courier_name(code: str) -> str:
    """The courier's name in the reader's language (its code when it is no longer listed)."""
    courier = courier_by_code(code)
    if courier is None:
        return code
    english = not (get_language() or "").startswith("zh")
    return (courier.name_en or courier.name) if english else courier.name


def label_courier_name(code: str) -> str:
    """Waybills are read by the courier's own staff: its Chinese name, whatever the language."""
    courier = courier_by_code(code)
    return courier.name if courier else code


def memberships_of(shop: Shop) -> QuerySet:
    """Memberships where the shop is the point or the member, live ones first."""
    return (
        PickupMembership.objects.filter(Q(point=shop) | Q(member=shop))
        .select_related("point", "member")
        .order_by("status", "-invited_at", "-id")
    )


def batches_of(shop: Shop) -> QuerySet:
    """The batches a shop may see: its own as a point, and the batches holding its orders."""
    return (
        PickupBatch.objects.filter(Q(point=shop) | Q(items__order__shop=shop))
        .distinct()
        .select_related("point")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-pickup_date", "-id")
    )


def batch_for(shop: Shop, batch_id: int) -> PickupBatch:
    """A batch the shop may see (NotFound otherwise: others learn nothing)."""
    batch = batches_of(shop).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(_("No such pickup batch."))
    return batch


def _order_lines() -> Prefetch:
    return Prefetch(
        "order__lines",
        queryset=ShopOrderLine.objects.select_related("sku__product__household").order_by("id"),
    )


def batch_items(batch: PickupBatch, *, shop: Shop | None = None) -> QuerySet:
    """The batch's items with their orders and lines; a member shop (`shop` not the point)
    sees only its own orders."""
    qs = batch.items.select_related(
        "order", "order__shop", "order__shop__village"
    ).prefetch_related(_order_lines())
    if shop is not None and shop.pk != batch.point_id:
        qs = qs.filter(order__shop=shop)
    return qs.order_by("order__shop__name", "order_id")


def candidate_orders(
    point: Shop,
    *,
    shop_id: int | None = None,
    household_id: int | None = None,
    paid_on: datetime.date | None = None,
) -> QuerySet:
    """Orders awaiting shipment of the point and its members that no open batch holds yet,
    oldest payment first; filtered by shop, household (any line of it) and the day paid."""
    qs = ShopOrder.objects.filter(
        shop_id__in=served_shop_ids(point), status=Status.AWAITING_SHIPMENT
    ).exclude(pickup_items__in_open_batch=True)
    if shop_id:
        qs = qs.filter(shop_id=shop_id)
    if household_id:
        qs = qs.filter(lines__sku__product__household_id=household_id).distinct()
    if paid_on:
        qs = qs.filter(paid_at__date=paid_on)
    return (
        qs.select_related("shop")
        .prefetch_related(Prefetch("lines", queryset=ShopOrderLine.objects.order_by("id")))
        .order_by("paid_at", "id")
    )


@dataclass
class PickLine:
    product: str
    variant: str
    quantity: int = 0
    order_ids: list[int] = field(default_factory=list)


@dataclass
class PickGroup:
    """What to pick from one household (or, for an ordinary shop, from the shop itself)."""

    shop: str
    household: str
    lines: list[PickLine] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.shop} · {self.household}" if self.household else self.shop

    @property
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.lines)


def pick_list(items) -> list[PickGroup]:
    """Group the batch's order lines by shop and household, then by product and variant, with
    the quantity to pick and the orders it goes to. Items come from batch_items (prefetched)."""
    groups: dict[tuple, PickGroup] = {}
    for item in items:
        order = item.order
        for line in order.lines.all():
            household = line.sku.product.household
            key = (order.shop.name, order.shop_id, household.name if household else "")
            group = groups.setdefault(key, PickGroup(order.shop.name, key[2]))
            pick = next(
                (
                    p
                    for p in group.lines
                    if (p.product, p.variant) == (line.product_title, line.variant_label)
                ),
                None,
            )
            if pick is None:
                pick = PickLine(line.product_title, line.variant_label)
                group.lines.append(pick)
            pick.quantity += line.quantity
            if order.pk not in pick.order_ids:
                pick.order_ids.append(order.pk)
    return [groups[key] for key in sorted(groups)]


def open_item_for(order_id: int) -> PickupItem | None:
    return (
        PickupItem.objects.filter(order_id=order_id, in_open_batch=True)
        .select_related("batch")
        .first()
    )
