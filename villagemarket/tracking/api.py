"""Tracking API (mounted at /api/v1/tracking/): an order's parcel and its timeline.

The buyer of the order, its shop's staff and operators may read it; anyone else gets 404 (the
same answer as for a missing order). Couriers are listed by the shipping API
(GET /api/v1/shipping/couriers). docs/tracking.md.
"""

# No `from __future__ import annotations`: ninja resolves the annotations at import.
from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from villagemarket.accounts.auth import user_auth
from villagemarket.core.validation import DbId

from . import selectors, services

router = Router(tags=["tracking"], auth=user_auth)


class TrackingEventOut(Schema):
    time: datetime
    status: str = Field(
        ..., description="accepted, in_transit, out_for_delivery, delivered or exception"
    )
    status_label: str
    location: str
    description: str = Field(..., description="the courier's own words")

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class ShipmentOut(Schema):
    order_id: int
    carrier: str
    courier_code: str | None = Field(None, description="null: an unlisted carrier, not tracked")
    tracking_no: str
    tracking_url: str = Field(..., description="the courier's tracking page (empty if none)")
    tracked: bool
    delivered_at: datetime | None
    next_poll_at: datetime | None
    events: list[TrackingEventOut] = Field(..., description="newest first")

    @staticmethod
    def resolve_order_id(obj) -> int:
        return obj.order.pk

    @staticmethod
    def resolve_delivered_at(obj):
        return obj.order.delivered_at

    @staticmethod
    def resolve_next_poll_at(obj):
        return obj.parcel.next_poll_at if obj.parcel else None


@router.get("orders/{int:order_id}", response=ShipmentOut, summary="An order's parcel tracking")
def order_tracking(request: HttpRequest, order_id: DbId):
    return selectors.shipment(selectors.visible_order(request.auth, order_id))


@router.post(
    "orders/{int:order_id}/refresh",
    response=ShipmentOut,
    summary="Ask the courier now (a few times an hour per order)",
)
def refresh(request: HttpRequest, order_id: DbId):
    # Naturally idempotent (a repeat stores nothing new), so no Idempotency-Key.
    order = selectors.visible_order(request.auth, order_id)
    services.refresh_tracking(order)
    order.refresh_from_db()
    return selectors.shipment(order)
