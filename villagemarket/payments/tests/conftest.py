"""Payments test fixtures: a checkout covering two shops, and signed notifications."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from villagemarket.orders.services import place_order
from villagemarket.payments.providers import sandbox


@pytest.fixture(autouse=True)
def _no_provider_network(monkeypatch):
    # Alipay and WeChat Pay calls go through remote.send; a test that forgot to stand in for the
    # provider fails here instead of reaching the network.
    from villagemarket.payments.providers import remote

    def refuse(method, url, **kwargs):
        raise AssertionError(f"a test tried to reach {url}")

    monkeypatch.setattr(remote, "send", refuse)


@pytest.fixture(autouse=True)
def _notify_in_process(settings):
    # No server runs in these tests: deliveries call the same verification the endpoint uses.
    settings.SANDBOX_NOTIFY_TRANSPORT = "inprocess"
    settings.SANDBOX_DELIVERY = {}


@pytest.fixture
def checkout(buyer, address, sku_a, sku_b):
    """One checkout: a payment covering one order at shop A and one at shop B."""
    return place_order(buyer=buyer, address_id=address.pk, items=[(sku_a.pk, 1), (sku_b.pk, 2)])


@pytest.fixture
def payment(checkout):
    return checkout.payment


def body_for(
    payment, *, outcome="succeeded", trade_no="SBX1", amount_minor=None, currency=None
) -> bytes:
    data = {
        "payment": str(payment.public_id),
        "trade_no": trade_no,
        "outcome": outcome,
        "amount_minor": payment.amount_minor if amount_minor is None else amount_minor,
        "currency": currency or payment.currency,
        "sent_at": "2026-01-01T00:00:00+00:00",
    }
    return json.dumps(data).encode()


def post_notification(
    body: bytes,
    *,
    timestamp: int | None = None,
    signature: str | None = None,
    url: str = "/pay/notify/sandbox/",
):
    """POST a notification like the sandbox does (signed now unless told otherwise)."""
    stamp = int(time.time()) if timestamp is None else timestamp
    sig = sandbox.sign(stamp, body) if signature is None else signature
    return Client(enforce_csrf_checks=True).post(
        url,
        data=body,
        content_type="application/json",
        headers={"X-Sandbox-Timestamp": str(stamp), "X-Sandbox-Signature": sig},
    )
