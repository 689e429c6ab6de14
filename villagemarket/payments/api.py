"""The payments slice's API router, mounted by villagemarket.api.api under /api/v1/."""

from __future__ import annotations

import datetime
import uuid

from django.http import Http404
from ninja import Field, Router, Schema

from villagemarket.accounts.auth import user_auth

from . import hooks, selectors
from .providers import sandbox
from .views import notification_response

router = Router(tags=["payments"])


class PaymentOrderLineOut(Schema):
    product_title: str
    variant_label: str
    unit_price_minor: int
    quantity: int


class PaymentOrderOut(Schema):
    id: int
    shop: str
    status: str
    total_minor: int
    currency: str
    lines: list[PaymentOrderLineOut]


class PaymentOut(Schema):
    id: uuid.UUID
    status: str
    amount_minor: int
    currency: str
    amount: str
    provider: str
    paid_at: datetime.datetime | None
    needs_refund: bool
    pay_url: str
    orders: list[PaymentOrderOut]


@router.get("/{uuid:public_id}", response=PaymentOut, auth=user_auth)
def get_payment(request, public_id: uuid.UUID):
    """The signed-in buyer's payment with its orders; anyone else's is 404."""
    from django.urls import reverse

    payment = selectors.payment_for_buyer(request.auth, public_id)
    if payment is None:
        raise Http404
    return {
        "id": payment.public_id,
        "status": payment.status,
        "amount_minor": payment.amount_minor,
        "currency": payment.currency,
        "amount": payment.amount.format(),
        "provider": payment.provider,
        "paid_at": payment.paid_at,
        "needs_refund": payment.needs_refund,
        "pay_url": reverse("payments:pay", args=[payment.public_id]),
        "orders": [
            {
                "id": part.id,
                "shop": part.title,
                "status": part.status,
                "total_minor": part.total.minor,
                "currency": part.total.currency,
                "lines": [
                    {
                        "product_title": line.product_title,
                        "variant_label": line.variant_label,
                        "unit_price_minor": line.unit_price.minor,
                        "quantity": line.quantity,
                    }
                    for line in part.lines
                ],
            }
            for part in hooks.payment_parts(payment)
        ],
    }


class PaymentNotificationOut(Schema):
    """What became of a verified notification. A rejected one (e.g. amount mismatch) and a
    refused one (bad signature, unknown payment) answer 400/403/404 with the API's error body
    (code, message, fields); a rejected one also carries result, status and reason."""

    result: str = Field(..., description="processed or duplicate")
    status: str = Field(..., description="the payment's status afterwards")
    reason: str | None = None


class PaymentNotificationRefusedOut(Schema):
    """A notification that was not acted on (bad signature): the API's error body."""

    code: str
    message: str
    fields: dict[str, list[str]]


@router.post(
    "/notify/sandbox",
    auth=None,
    include_in_schema=True,
    response={200: PaymentNotificationOut, 403: PaymentNotificationRefusedOut},
)
def sandbox_notify(request):
    """Server-to-server notification of the sandbox provider (HMAC-signed; no session, no CSRF)."""
    return notification_response(sandbox.NAME, request.headers, request.body)
