"""The ledger on the buying path: a checkout of two shops is paid through the sandbox's signed
notification, shipped, and completed (one by the buyer, one automatically); the money moves
from the provider to escrow to each shop, once, and the books hold after every step."""

import json
import time

import pytest
from django.test import Client

from villagemarket.core.errors import IllegalTransition
from villagemarket.core.money import Money
from villagemarket.ledger import selectors
from villagemarket.ledger import services as ledger
from villagemarket.ledger.invariants import EscrowFacts, assert_sound
from villagemarket.ledger.models import EventType, LedgerTransaction
from villagemarket.orders import services
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.tests.factories import due_for_auto_complete
from villagemarket.payments.providers import sandbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _notify_in_process(settings):
    settings.SANDBOX_NOTIFY_TRANSPORT = "inprocess"
    settings.SANDBOX_DELIVERY = {}


def notify_paid(payment, trade_no="SBX1"):
    """The sandbox's signed 'succeeded' notification, as the provider sends it."""
    body = json.dumps(
        {
            "payment": str(payment.public_id),
            "trade_no": trade_no,
            "outcome": "succeeded",
            "amount_minor": payment.amount_minor,
            "currency": payment.currency,
            "sent_at": "2026-01-01T00:00:00+00:00",
        }
    ).encode()
    stamp = int(time.time())
    return Client(enforce_csrf_checks=True).post(
        "/pay/notify/sandbox/",
        data=body,
        content_type="application/json",
        headers={
            "X-Sandbox-Timestamp": str(stamp),
            "X-Sandbox-Signature": sandbox.sign(stamp, body),
        },
    )


def net(order: ShopOrder) -> Money:
    """The shop's 5% commission (the default) on goods; freight is the shop's."""
    return order.goods - order.goods.rate(500) + order.freight


def test_a_paid_and_completed_checkout_of_two_shops_pays_each_shop_its_net(
    buyer, address, sku_a, sku_b, shop_a, shop_b
):
    # given a checkout of alice's costume and two of bob's quilts
    result = services.place_order(
        buyer=buyer, address_id=address.pk, items=[(sku_a.pk, 1), (sku_b.pk, 2)]
    )
    payment = result.payment
    paid = Money(payment.amount_minor, payment.currency)

    # when the provider reports the payment, twice (a retried notification)
    assert notify_paid(payment).status_code == 200
    assert notify_paid(payment).status_code == 200

    # then it is in escrow once, held for each shop's order
    order_a = ShopOrder.objects.get(shop=shop_a)
    order_b = ShopOrder.objects.get(shop=shop_b)
    assert ledger.balance(ledger.escrow()) == paid
    assert ledger.balance(ledger.gateway_clearing(payment.provider)) == paid
    assert selectors.held_in_escrow(shop_a.pk) == order_a.total
    assert selectors.held_in_escrow(shop_b.pk) == order_b.total
    assert_sound([EscrowFacts(paid, Money(0), Money(0))])

    # when both ship; the buyer confirms alice's, bob's completes by itself
    for order in (order_a, order_b):
        services.ship_order(
            shop=order.shop, order_id=order.pk, carrier="中通", tracking_no="ZT1234567890"
        )
    services.confirm_receipt(buyer=buyer, order_id=order_a.pk)
    due_for_auto_complete(pk=order_b.pk)
    assert services.auto_complete_orders() == 1

    # then each shop is owed its goods less commission plus its freight, and escrow is empty
    assert selectors.shop_balance(shop_a.pk).available == net(order_a)
    assert selectors.shop_balance(shop_b.pk).available == net(order_b)
    assert selectors.held_in_escrow(shop_a.pk) == Money(0)
    assert ledger.balance(ledger.escrow()) == Money(0)
    assert_sound([EscrowFacts(paid, Money(0), paid)])

    # and completing again settles nothing more
    with pytest.raises(IllegalTransition):
        services.confirm_receipt(buyer=buyer, order_id=order_a.pk)
    assert services.auto_complete_orders() == 0
    assert LedgerTransaction.objects.filter(event=EventType.ORDER_SETTLED).count() == 2
    assert LedgerTransaction.objects.filter(event=EventType.PAYMENT_CAPTURED).count() == 1


def test_a_settlement_that_fails_leaves_the_order_shipped(buyer, address, sku_a, monkeypatch):
    # Completion and settlement are one transaction: neither happens without the other.
    result = services.place_order(buyer=buyer, address_id=address.pk, items=[(sku_a.pk, 1)])
    notify_paid(result.payment)
    order = result.orders[0]
    services.ship_order(
        shop=order.shop, order_id=order.pk, carrier="中通", tracking_no="ZT1234567890"
    )

    def broken(**kwargs):
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr(ledger, "settle_order", broken)
    with pytest.raises(RuntimeError):
        services.confirm_receipt(buyer=buyer, order_id=order.pk)

    assert ShopOrder.objects.get(pk=order.pk).status == "shipped"
    assert not LedgerTransaction.objects.filter(event=EventType.ORDER_SETTLED).exists()


def test_a_refund_before_completion_is_not_settled_and_one_after_comes_from_the_seller(
    buyer, address, sku_a, shop_a
):
    # given a paid and shipped order of alice's
    result = services.place_order(buyer=buyer, address_id=address.pk, items=[(sku_a.pk, 2)])
    payment = result.payment
    paid = Money(payment.amount_minor, payment.currency)
    notify_paid(payment)
    order = result.orders[0]
    services.ship_order(
        shop=order.shop, order_id=order.pk, carrier="中通", tracking_no="ZT1234567890"
    )

    # when the buyer gets ¥30.01 back before confirming receipt (the seller agrees)
    first = Money(3001, paid.currency)
    asked = services.request_refund(
        buyer=buyer, order_id=order.pk, amount=first, reason="damaged", kind="money_only"
    )
    services.approve_refund(shop=shop_a, refund_id=asked.pk)
    services.confirm_receipt(buyer=buyer, order_id=order.pk)

    # then the refund left escrow, and settlement split only what the buyer kept
    kept = paid - first
    settled = LedgerTransaction.objects.get(event=EventType.ORDER_SETTLED)
    assert settled.reference == f"order:{order.pk}"
    payable = selectors.shop_balance(shop_a.pk).available
    commission = ledger.balance(ledger.commission_revenue())
    assert payable + commission + ledger.balance(ledger.rounding()) == kept
    assert ledger.balance(ledger.escrow()) == Money(0)
    assert_sound([EscrowFacts(paid, first, kept)])

    # when a second refund comes after settlement
    second = Money(1000, paid.currency)
    later = services.request_refund(
        buyer=buyer, order_id=order.pk, amount=second, reason="damaged", kind="money_only"
    )
    services.approve_refund(shop=shop_a, refund_id=later.pk)

    # then it is taken from the seller's side, not from escrow, with the platform giving back
    # its commission on it, and the books still hold
    assert LedgerTransaction.objects.filter(event=EventType.REFUND_AFTER_SETTLEMENT).count() == 1
    assert ledger.balance(ledger.escrow()) == Money(0)
    returned = Money(commission.minor * second.minor // kept.minor, paid.currency)
    assert selectors.shop_balance(shop_a.pk).available == payable - (second - returned)
    assert_sound([EscrowFacts(paid, first, kept)])

    # when the rest is refunded too
    rest = kept - second
    last = services.request_refund(
        buyer=buyer, order_id=order.pk, amount=rest, reason="damaged", kind="money_only"
    )
    services.approve_refund(shop=shop_a, refund_id=last.pk)

    # then the seller owes nothing and the platform kept no commission on a refunded order
    assert selectors.shop_balance(shop_a.pk).available == Money(0)
    assert ledger.balance(ledger.commission_revenue()) == Money(0)
