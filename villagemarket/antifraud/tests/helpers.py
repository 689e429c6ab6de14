"""Small helpers for the anti-brushing tests: orders through the real services."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from villagemarket.accounts.models import User
from villagemarket.antifraud import checks
from villagemarket.antifraud.models import Flag, Rule
from villagemarket.orders import services
from villagemarket.orders.models import ShopOrder
from villagemarket.payments.providers.base import Notification
from villagemarket.payments.services import apply_notification


def tune(code: str, **figures) -> None:
    Rule.objects.filter(code=code).update(**figures)
    checks.forget_rules()


def only(code: str) -> None:
    """Disable every rule but `code` (a test of one rule is not disturbed by the others)."""
    Rule.objects.exclude(code=code).update(enabled=False)
    Rule.objects.filter(code=code).update(enabled=True)
    checks.forget_rules()


def flags(code: str, **subject):
    return Flag.objects.filter(rule__code=code, **subject)


def order(buyer, address, sku, *, device_id: str = "", quantity: int = 1) -> ShopOrder:
    result = services.place_order(
        buyer=buyer, address_id=address.pk, items=[(sku.pk, quantity)], device_id=device_id
    )
    return result.orders[0]


def pay(order: ShopOrder, *, payer: str = "") -> None:
    """Pay through payments' notification handling, as the provider would report it."""
    payment = order.payment
    apply_notification(
        Notification(
            provider=payment.provider,
            payment_id=payment.public_id,
            trade_no=f"T{uuid.uuid4().hex[:20]}",
            outcome="succeeded",
            amount_minor=payment.amount_minor,
            currency=payment.currency,
            sent_at=timezone.now(),
            payer_account=payer,
        )
    )


def ship(order: ShopOrder, tracking_no: str = "", minutes_ago: float = 0) -> ShopOrder:
    services.ship_order(
        shop=order.shop,
        order_id=order.pk,
        carrier="中通快递",
        tracking_no=tracking_no or f"ZT{order.pk:010d}",
    )
    if minutes_ago:
        ShopOrder.objects.filter(pk=order.pk).update(
            shipped_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
        )
    return ShopOrder.objects.get(pk=order.pk)


def new_buyer(login: str, *, days_old: int = 30) -> User:
    from villagemarket.testing.personas import make_user

    user = make_user(login)
    User.objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=days_old)
    )
    user.refresh_from_db()
    return user


def address_for(user, detail: str = "丁楼村 3 组 12 号"):
    return services.save_address(
        user=user, region_code="371721121", detail=detail, recipient="王芳", mobile="13912345678"
    )


def age(order: ShopOrder, minutes: float) -> None:
    ShopOrder.objects.filter(pk=order.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
