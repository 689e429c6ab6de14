"""The demo's own order and refund steps notify the demo buyer and seller through the listeners."""

from __future__ import annotations

import pytest

from villagemarket.notifications import events, sending
from villagemarket.notifications.models import Delivery, Notification, SandboxSms
from villagemarket.web.demo import data
from villagemarket.web.tests.test_demo import build_demo, tiny_regions  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def kinds_of(email: str) -> set[str]:
    return set(Notification.objects.filter(recipient__email=email).values_list("kind", flat=True))


def test_the_demo_buyer_and_seller_have_notifications_and_a_rebuild_adds_none(
    build_demo,  # noqa: F811
    tiny_regions,  # noqa: F811
):
    build_demo()

    assert {events.ORDER_SHIPPED, events.REFUND_DECIDED} <= kinds_of(data.BUYER)
    assert {events.ORDER_PLACED, events.ORDER_PAID, events.REFUND_REQUESTED} <= kinds_of(
        data.SELLER
    )
    texts = Delivery.objects.filter(channel="sms", notification__recipient__email=data.BUYER)
    assert texts.exists() and set(texts.values_list("address", flat=True)) == {"13800138000"}
    sending.send_due(limit=1000)
    assert SandboxSms.objects.filter(mobile="13800138000").count() == texts.count()
    before = (Notification.objects.count(), Delivery.objects.count())

    build_demo()

    assert (Notification.objects.count(), Delivery.objects.count()) == before
