"""Reads of parcel tracking, shared by the panels and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from villagemarket.accounts.permissions import is_operator
from villagemarket.core.errors import NotFound
from villagemarket.orders.models import ShopOrder
from villagemarket.shipping.couriers import tracking_link
from villagemarket.shops.permissions import membership

from .models import Parcel, TrackingEvent


@dataclass
class Shipment:
    """What a buyer or seller sees of an order's parcel."""

    order: ShopOrder
    carrier: str
    courier_code: str | None
    tracking_no: str
    tracking_url: str
    tracked: bool
    parcel: Parcel | None
    events: list[TrackingEvent]  # newest first


def _may_see(user, order: ShopOrder) -> bool:
    return (
        order.buyer_id == user.pk or is_operator(user) or membership(user, order.shop) is not None
    )


def visible_order(user, order_id: int) -> ShopOrder:
    """The order if `user` is its buyer, on its shop's staff, or an operator; NotFound (the
    same answer as for a missing order) otherwise."""
    order = ShopOrder.objects.select_related("courier", "shop").filter(pk=order_id).first()
    signed_in = user is not None and user.is_authenticated
    if order is not None and signed_in and _may_see(user, order):
        return order
    raise NotFound(_("No such order."))


def _courier_name(courier) -> str:
    """The courier's name in the reader's language (its Chinese name unless English is read)."""
    english = (get_language() or "").startswith("en")
    return courier.name_en if english and courier.name_en else courier.name


def shipment(order: ShopOrder) -> Shipment:
    """The parcel of a shipped order: courier, link and events (newest first)."""
    courier = order.courier if order.courier_id else None
    parcel = Parcel.objects.filter(order_id=order.pk).first()
    return Shipment(
        order=order,
        carrier=_courier_name(courier) if courier else order.carrier,
        courier_code=courier.code if courier else None,
        tracking_no=order.tracking_no,
        tracking_url=tracking_link(courier, order.tracking_no),
        tracked=parcel is not None,
        parcel=parcel,
        events=list(TrackingEvent.objects.filter(order_id=order.pk).order_by("-time", "-id")),
    )
