"""Village pickups API (mounted at /api/v1/logistics/): batches of a pickup point, their parcels,
tracking numbers, hand-over, waybills and pick list; partner-shop memberships.

The point's staff read and change its batches; a member shop's staff read the batches holding
its orders (only those orders). Anyone else gets 404, as for every shop-private thing.
"""

# No `from __future__ import annotations`: ninja resolves annotations of @idempotent operations.
import datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StringConstraints

from villagemarket.accounts.auth import user_auth
from villagemarket.core.errors import NotFound
from villagemarket.core.idempotency import idempotent
from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import DbId, Text
from villagemarket.shops.permissions import shop_for_member

from . import pdf, selectors, services

router = Router(tags=["logistics"], auth=user_auth)

TrackingText = Annotated[str, StringConstraints(max_length=40)]


class PickupBatchOut(Schema):
    id: int
    point: str = Field(description="The pickup point's slug")
    courier: str = Field(description="Courier code (shipping's list)")
    courier_name: str
    pickup_date: datetime.date
    status: str = Field(description="open, handed_over or cancelled")
    note: str
    created_at: datetime.datetime
    handed_over_at: datetime.datetime | None

    @staticmethod
    def resolve_point(batch) -> str:
        return batch.point.slug

    @staticmethod
    def resolve_courier(batch) -> str:
        return batch.courier_code

    @staticmethod
    def resolve_courier_name(batch) -> str:
        return selectors.courier_name(batch.courier_code)


class PickupItemLineOut(Schema):
    product_title: str
    variant_label: str
    quantity: int
    household: str = Field(description="The household that made it; empty for the shop itself")


class PickupItemOut(Schema):
    order_id: int
    shop: str
    order_status: str
    recipient: str
    region: str
    tracking_no: str
    lines: list[PickupItemLineOut]


class PickupBatchDetailOut(PickupBatchOut):
    parcels: list[PickupItemOut] = Field(description="Its orders (a member sees its own only)")


class PickupBatchIn(Schema):
    courier: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    pickup_date: datetime.date
    note: Annotated[Text, StringConstraints(max_length=200)] = ""


class PickupOrdersIn(Schema):
    order_ids: list[DbId] = Field(min_length=1, max_length=services.batches.MAX_ORDERS_PER_CALL)


class PickupNumberIn(Schema):
    order_id: DbId
    tracking_no: TrackingText = Field(description='"" clears the number')


class PickupNumbersIn(Schema):
    numbers: list[PickupNumberIn] = Field(min_length=1, max_length=500)


class PickupRangeIn(Schema):
    start: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="The first number of the range the courier gave"
    )
    overwrite: bool = Field(False, description="Renumber parcels that already have a number")


class PickListLineOut(Schema):
    product: str
    variant: str
    quantity: int
    order_ids: list[int]


class PickListGroupOut(Schema):
    shop: str
    household: str
    total_quantity: int
    lines: list[PickListLineOut]


class PickListOut(Schema):
    batch_id: int
    groups: list[PickListGroupOut]


class PickupMembershipOut(Schema):
    id: int
    point: str
    member: str
    status: str = Field(description="invited, accepted, declined or ended")
    invited_at: datetime.datetime
    answered_at: datetime.datetime | None
    ended_at: datetime.datetime | None

    @staticmethod
    def resolve_point(m) -> str:
        return m.point.slug

    @staticmethod
    def resolve_member(m) -> str:
        return m.member.slug


class PickupInviteIn(Schema):
    member: Annotated[str, StringConstraints(min_length=1, max_length=80)] = Field(
        description="The partner shop's slug"
    )


def _item_out(item) -> dict:
    order = item.order
    return {
        "order_id": order.pk,
        "shop": order.shop.slug,
        "order_status": order.status,
        "recipient": order.recipient,
        "region": order.region_label,
        "tracking_no": item.tracking_no,
        "lines": [
            {
                "product_title": line.product_title,
                "variant_label": line.variant_label,
                "quantity": line.quantity,
                "household": line.sku.product.household.name if line.sku.product.household else "",
            }
            for line in order.lines.all()
        ],
    }


def _point(request, slug: str):
    return shop_for_member(request.auth, slug)


@router.get(
    "shops/{slug}/batches",
    response=list[PickupBatchOut],
    summary="Pickup batches of my shop as a point, and those holding my shop's orders",
)
@paginate(PageNumber)
def list_batches(request: HttpRequest, slug: str):
    return selectors.batches_of(_point(request, slug))


@router.post(
    "shops/{slug}/batches",
    response={201: PickupBatchDetailOut},
    summary="Open a pickup batch for one courier and day (service points and cooperatives)",
)
@idempotent
def create_batch(request: HttpRequest, slug: str, payload: PickupBatchIn):
    shop = _point(request, slug)
    batch = services.create_batch(
        user=request.auth,
        point=shop,
        courier_code=payload.courier,
        pickup_date=payload.pickup_date,
        note=payload.note,
    )
    return Status(201, _detail_out(shop, batch.pk))


def _detail_out(shop, batch_id: int):
    batch = selectors.batch_for(shop, batch_id)
    batch.parcels = [_item_out(i) for i in selectors.batch_items(batch, shop=shop)]
    return batch


@router.get(
    "shops/{slug}/batches/{batch_id}",
    response=PickupBatchDetailOut,
    summary="A pickup batch with its parcels (a member shop sees its own orders only)",
)
def batch_detail(request: HttpRequest, slug: str, batch_id: DbId):
    return _detail_out(_point(request, slug), batch_id)


@router.post(
    "shops/{slug}/batches/{batch_id}/orders",
    response=PickupBatchDetailOut,
    summary="Add orders awaiting shipment of the point and its members (all or nothing)",
)
@idempotent
def add_orders(request: HttpRequest, slug: str, batch_id: DbId, payload: PickupOrdersIn):
    shop = _point(request, slug)
    services.add_orders(point=shop, batch_id=batch_id, order_ids=payload.order_ids)
    return _detail_out(shop, batch_id)


@router.delete(
    "shops/{slug}/batches/{batch_id}/orders/{order_id}",
    response=PickupBatchDetailOut,
    summary="Take an order out of an open batch",
)
def remove_order(request: HttpRequest, slug: str, batch_id: DbId, order_id: DbId):
    shop = _point(request, slug)
    services.remove_order(point=shop, batch_id=batch_id, order_id=order_id)
    return _detail_out(shop, batch_id)


@router.put(
    "shops/{slug}/batches/{batch_id}/tracking-numbers",
    response=PickupBatchDetailOut,
    summary="Set tracking numbers per order, checked against the courier's pattern (all or none)",
)
def assign_tracking(request: HttpRequest, slug: str, batch_id: DbId, payload: PickupNumbersIn):
    shop = _point(request, slug)
    numbers = {n.order_id: n.tracking_no for n in payload.numbers}
    services.assign_tracking(point=shop, batch_id=batch_id, numbers=numbers)
    return _detail_out(shop, batch_id)


@router.post(
    "shops/{slug}/batches/{batch_id}/tracking-range",
    response=PickupBatchDetailOut,
    summary="Number the parcels from the courier's range, in the batch's order",
)
@idempotent
def assign_range(request: HttpRequest, slug: str, batch_id: DbId, payload: PickupRangeIn):
    shop = _point(request, slug)
    services.assign_range(
        point=shop, batch_id=batch_id, start=payload.start, overwrite=payload.overwrite
    )
    return _detail_out(shop, batch_id)


@router.post(
    "shops/{slug}/batches/{batch_id}/hand-over",
    response=PickupBatchDetailOut,
    summary="The courier collected the batch: ship every order at once, or none (409 names why)",
)
@idempotent
def hand_over(request: HttpRequest, slug: str, batch_id: DbId):
    shop = _point(request, slug)
    services.hand_over(user=request.auth, point=shop, batch_id=batch_id)
    return _detail_out(shop, batch_id)


@router.post(
    "shops/{slug}/batches/{batch_id}/cancel",
    response=PickupBatchDetailOut,
    summary="Give up an open batch; its orders may join another",
)
@idempotent
def cancel_batch(request: HttpRequest, slug: str, batch_id: DbId):
    shop = _point(request, slug)
    services.cancel_batch(point=shop, batch_id=batch_id)
    return _detail_out(shop, batch_id)


@router.get(
    "shops/{slug}/batches/{batch_id}/pick-list",
    response=PickListOut,
    summary="What to pick from each household (and shop): product, variant, quantity, orders",
)
def pick_list(request: HttpRequest, slug: str, batch_id: DbId):
    shop = _point(request, slug)
    batch = selectors.batch_for(shop, batch_id)
    groups = selectors.pick_list(selectors.batch_items(batch, shop=shop))
    return {
        "batch_id": batch.pk,
        "groups": [
            {
                "shop": g.shop,
                "household": g.household,
                "total_quantity": g.total_quantity,
                "lines": [vars(line) for line in g.lines],
            }
            for g in groups
        ],
    }


@router.get(
    "shops/{slug}/batches/{batch_id}/waybills.pdf",
    response={200: None},
    summary="The batch's waybills: one A6 label per parcel (PDF, the point's staff)",
    openapi_extra={
        "responses": {
            200: {
                "description": "PDF, 105 x 148 mm pages",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def waybills(request: HttpRequest, slug: str, batch_id: DbId):
    shop = _point(request, slug)
    batch = selectors.batch_for(shop, batch_id)
    if batch.point_id != shop.pk:
        raise NotFound(_("No such pickup batch."))
    data = pdf.waybills_pdf(
        batch, selectors.batch_items(batch), selectors.label_courier_name(batch.courier_code)
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="waybills-{batch.pk}.pdf"'
    return response


@router.get(
    "shops/{slug}/memberships",
    response=list[PickupMembershipOut],
    summary="Pickup memberships where my shop is the point or the partner",
)
def list_memberships(request: HttpRequest, slug: str):
    return list(selectors.memberships_of(_point(request, slug)))


@router.post(
    "shops/{slug}/memberships",
    response={201: PickupMembershipOut},
    summary="Invite a partner shop of the same township (the point's owner)",
)
@idempotent
def invite(request: HttpRequest, slug: str, payload: PickupInviteIn):
    shop = _point(request, slug)
    return Status(
        201, services.invite_member(user=request.auth, point=shop, member_slug=payload.member)
    )


@router.post(
    "shops/{slug}/memberships/{membership_id}/{answer}",
    response=PickupMembershipOut,
    summary="accept, decline (the partner's owner) or end (either owner) a membership",
)
@idempotent
def answer_membership(request: HttpRequest, slug: str, membership_id: DbId, answer: str):
    shop = _point(request, slug)
    if not selectors.memberships_of(shop).filter(pk=membership_id).exists():
        raise NotFound(_("No such membership."))
    act = {
        "accept": services.accept_membership,
        "decline": services.decline_membership,
        "end": services.end_membership,
    }.get(answer)
    if act is None:
        raise NotFound(_("Unknown action."))
    return act(user=request.auth, membership_id=membership_id)
