"""The payments slice's API router, mounted by villagemarket.api.api under /api/v1/."""

from __future__ import annotations

import datetime
import uuid

from django.http import Http404
from ninja import Router, Schema

from villagemarket.accounts.auth import user_auth

from . import selectors
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

    payment = selectors.payment_with_orders(request.auth, public_id)
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
                "id": o.pk,
                "shop": o.shop.name,
                "status": o.status,
                "total_minor": o.total_minor,
                "currency": o.currency,
                "lines": list(o.lines.all()),
            }
            for o in payment.order_list
        ],
    }


@router.post("/notify/sandbox", auth=None, include_in_schema=True)
def sandbox_notify(request):
    """Server-to-server notification of the sandbox provider (HMAC-signed; no session, no CSRF)."""
    return notification_response(sandbox.NAME, request.headers, request.body)
