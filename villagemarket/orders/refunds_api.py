"""Refunds and disputes API (under /api/v1/orders/): the buyer asks, shop staff answer, either
side escalates, operators decide. Attached to orders.api's router."""

# No `from __future__ import annotations` (see orders/api.py: ninja and @idempotent).
from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from villagemarket.accounts.auth import user_auth
from villagemarket.accounts.permissions import api_operator_required
from villagemarket.core.idempotency import idempotent
from villagemarket.core.money import Money
from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import DbId, Name, Text
from villagemarket.shops.permissions import shop_for_member

from . import refund_selectors as selectors
from . import services
from .models import ShopOrder
from .refund_states import RefundKind, RefundReason

router = Router(tags=["refunds"], auth=user_auth)


class RefundIn(Schema):
    amount_minor: int
    reason: RefundReason
    kind: RefundKind = RefundKind.MONEY_ONLY
    detail: Text = ""


class StatementOut(Schema):
    side: str
    text: str
    image_url: str | None
    created_at: datetime

    @staticmethod
    def resolve_image_url(obj) -> str | None:
        return obj.image.url if obj.image else None


class DisputeOut(Schema):
    id: int
    refund_id: int
    opened_at: datetime
    decided_at: datetime | None
    decision: str
    decision_note: str
    statements: list[StatementOut]

    @staticmethod
    def resolve_statements(obj):
        return list(obj.statements.all())


class RefundOut(Schema):
    id: int
    order_id: int
    shop: str
    status: str
    kind: str
    reason: str
    detail: str
    amount_minor: int
    currency: str
    after_shipment: bool
    seller_note: str
    return_carrier: str
    return_tracking_no: str
    created_at: datetime
    seller_due_at: datetime | None
    return_due_at: datetime | None
    refunded_at: datetime | None
    dispute_id: int | None

    @staticmethod
    def resolve_shop(obj) -> str:
        return obj.order.shop.slug

    @staticmethod
    def resolve_dispute_id(obj) -> int | None:
        from .models import Dispute

        try:
            return obj.dispute.pk
        except Dispute.DoesNotExist:
            return None


class AnswerIn(Schema):
    note: Text = ""


class ReturnIn(Schema):
    carrier: Name
    tracking_no: Name


class StatementIn(Schema):
    text: Text


class DecisionIn(Schema):
    for_buyer: bool
    note: Text


def _currency_of(user, order_id: int) -> str:
    order = ShopOrder.objects.filter(pk=order_id, buyer=user).only("currency").first()
    return order.currency if order else "CNY"  # an unknown order is refused by the service


# --- buyer ---------------------------------------------------------------------------------------
@router.get("refunds", response=list[RefundOut], summary="My refund requests, newest first")
@paginate(PageNumber)
def my_refunds(request: HttpRequest):
    return selectors.buyer_refunds(request.auth)


@router.post("{int:order_id}/refunds", response={201: RefundOut}, summary="Ask for a refund")
@idempotent
def ask_refund(request: HttpRequest, order_id: DbId, payload: RefundIn):
    """Up to what is still refundable (409 `refund_exceeds_refundable` names what is left).
    Before shipment it is granted at once; after shipment the seller has 5 days to answer."""
    refund = services.request_refund(
        buyer=request.auth,
        order_id=order_id,
        amount=Money(payload.amount_minor, _currency_of(request.auth, order_id)),
        reason=payload.reason,
        kind=payload.kind,
        detail=payload.detail,
    )
    return Status(201, selectors.refund_for_buyer(request.auth, refund.pk))


@router.get("refunds/{int:refund_id}", response=RefundOut, summary="One of my refund requests")
def my_refund(request: HttpRequest, refund_id: DbId):
    return selectors.refund_for_buyer(request.auth, refund_id)


@router.post("refunds/{int:refund_id}/cancel", response=RefundOut, summary="Withdraw my request")
@idempotent
def cancel_refund(request: HttpRequest, refund_id: DbId):
    services.cancel_refund(buyer=request.auth, refund_id=refund_id)
    return selectors.refund_for_buyer(request.auth, refund_id)


@router.post(
    "refunds/{int:refund_id}/return", response=RefundOut, summary="Send the goods back (tracking)"
)
@idempotent
def ship_back(request: HttpRequest, refund_id: DbId, payload: ReturnIn):
    services.ship_back(
        buyer=request.auth,
        refund_id=refund_id,
        carrier=payload.carrier,
        tracking_no=payload.tracking_no,
    )
    return selectors.refund_for_buyer(request.auth, refund_id)


# --- shop staff ----------------------------------------------------------------------------------
@router.get("shops/{slug}/refunds", response=list[RefundOut], summary="My shop's refund requests")
@paginate(PageNumber)
def shop_refunds(request: HttpRequest, slug: str):
    return selectors.shop_refunds(shop_for_member(request.auth, slug))


@router.post(
    "shops/{slug}/refunds/{int:refund_id}/approve", response=RefundOut, summary="Approve a refund"
)
@idempotent
def approve(request: HttpRequest, slug: str, refund_id: DbId, payload: AnswerIn):
    shop = shop_for_member(request.auth, slug)
    services.approve_refund(shop=shop, refund_id=refund_id, note=payload.note)
    return selectors.refund_for_shop(shop, refund_id)


@router.post(
    "shops/{slug}/refunds/{int:refund_id}/reject",
    response=RefundOut,
    summary="Reject a refund, saying why",
)
@idempotent
def reject(request: HttpRequest, slug: str, refund_id: DbId, payload: AnswerIn):
    shop = shop_for_member(request.auth, slug)
    services.reject_refund(shop=shop, refund_id=refund_id, note=payload.note)
    return selectors.refund_for_shop(shop, refund_id)


@router.post(
    "shops/{slug}/refunds/{int:refund_id}/confirm-return",
    response=RefundOut,
    summary="Confirm the goods came back",
)
@idempotent
def confirm_return(request: HttpRequest, slug: str, refund_id: DbId):
    shop = shop_for_member(request.auth, slug)
    services.confirm_return(shop=shop, refund_id=refund_id)
    return selectors.refund_for_shop(shop, refund_id)


# --- disputes ------------------------------------------------------------------------------------
@router.post(
    "refunds/{int:refund_id}/dispute",
    response={201: DisputeOut},
    summary="Ask the operator to arbitrate (buyer or seller); images on the dispute page",
)
@idempotent
def open_dispute(request: HttpRequest, refund_id: DbId, payload: StatementIn):
    dispute = services.open_dispute(user=request.auth, refund_id=refund_id, text=payload.text)
    return Status(201, selectors.dispute_for(request.auth, dispute.pk))


@router.get("disputes/{int:dispute_id}", response=DisputeOut, summary="A dispute I take part in")
def dispute(request: HttpRequest, dispute_id: DbId):
    return selectors.dispute_for(request.auth, dispute_id)


@router.post(
    "disputes/{int:dispute_id}/statements", response={201: DisputeOut}, summary="Add a statement"
)
@idempotent
def add_statement(request: HttpRequest, dispute_id: DbId, payload: StatementIn):
    services.add_statement(user=request.auth, dispute_id=dispute_id, text=payload.text)
    return Status(201, selectors.dispute_for(request.auth, dispute_id))


@router.get("disputes", response=list[DisputeOut], summary="Undecided disputes (operators)")
@api_operator_required
@paginate(PageNumber)
def open_disputes(request: HttpRequest):
    return selectors.open_disputes()


@router.post("disputes/{int:dispute_id}/decide", response=DisputeOut, summary="Decide (operators)")
@api_operator_required
@idempotent
def decide(request: HttpRequest, dispute_id: DbId, payload: DecisionIn):
    services.decide_dispute(
        operator=request.auth,
        dispute_id=dispute_id,
        for_buyer=payload.for_buyer,
        note=payload.note,
    )
    return selectors.dispute_for(request.auth, dispute_id)
