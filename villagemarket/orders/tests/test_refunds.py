"""Refunds and returns: before shipment at once, after shipment with the seller (or the clock)."""

from __future__ import annotations

import datetime

import pytest
from django.db.models.functions import Now

from villagemarket.catalog.models import SKU, Product
from villagemarket.core.errors import Conflict, IllegalTransition, Invalid, NotFound
from villagemarket.core.money import Money
from villagemarket.ledger.models import EventType, LedgerTransaction
from villagemarket.orders import hooks, services
from villagemarket.orders.models import RefundRequest, ShopOrder
from villagemarket.orders.tests.factories import due_for_auto_complete, paid_order, shipped_order

pytestmark = pytest.mark.django_db(transaction=False)


def cny(minor: int) -> Money:
    return Money(minor, "CNY")


def ask(buyer, order, minor=None, *, reason="damaged", kind="money_only"):
    return services.request_refund(
        buyer=buyer,
        order_id=order.pk,
        amount=cny(order.total_minor if minor is None else minor),
        reason=reason,
        kind=kind,
        detail="裂了",
    )


def reload(obj):
    obj.refresh_from_db()
    return obj


@pytest.fixture
def refunds_heard(django_capture_on_commit_callbacks):
    heard: list[hooks.Refund] = []
    hooks.on_order_refunded(heard.append)
    yield heard
    hooks._refund_listeners.remove(heard.append)


def test_before_shipment_a_full_refund_is_granted_at_once_closes_the_order_and_returns_stock(
    buyer, address, sku_a, django_capture_on_commit_callbacks, refunds_heard
):
    # given a paid order of 2 costumes
    order = paid_order(buyer, address, sku_a, 2)
    # when the buyer asks for everything back
    with django_capture_on_commit_callbacks(execute=True):
        refund = ask(buyer, order, reason="changed_mind")
    # then it is refunded, the order is closed, the stock is back and everyone heard once
    order = reload(order)
    assert refund.status == "refunded" and refund.refunded_at is not None
    assert order.status == "closed" and order.close_reason == "refunded"
    assert order.refunded_minor == order.total_minor
    assert SKU.objects.get(pk=sku_a.pk).stock == 10
    assert [r.amount_minor for r in refunds_heard] == [order.total_minor]
    posting = LedgerTransaction.objects.get(reference=f"refund:{refund.pk}")
    assert posting.event == EventType.REFUND_BEFORE_SETTLEMENT


def test_a_partial_refund_before_shipment_keeps_the_order_to_ship(buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a, 2)

    ask(buyer, order, 1000, reason="other")

    order = reload(order)
    assert order.status == "awaiting_shipment" and order.refunded_minor == 1000
    assert order.refundable == cny(order.total_minor - 1000)
    assert SKU.objects.get(pk=sku_a.pk).stock == 8


def test_nobody_gets_back_more_than_is_still_refundable(buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    ask(buyer, order, order.total_minor - 100, reason="other")

    with pytest.raises(Conflict) as caught:
        ask(buyer, order, 101, reason="other")

    assert caught.value.code == "refund_exceeds_refundable"
    assert "amount" in caught.value.fields
    assert RefundRequest.objects.count() == 1
    assert reload(order).refund_claimed_minor == order.total_minor - 100


def test_after_shipment_the_seller_approves_and_the_order_closes_when_fully_refunded(
    buyer, address, sku_a, shop_a
):
    order = shipped_order(buyer, address, sku_a)
    refund = ask(buyer, order)
    assert refund.status == "requested" and refund.seller_due_at is not None

    refund = services.approve_refund(shop=shop_a, refund_id=refund.pk)

    assert refund.status == "refunded"
    assert reload(order).status == "closed"
    assert SKU.objects.get(pk=sku_a.pk).stock == 9  # shipped goods are not back in stock


def test_a_return_needs_a_tracking_number_and_the_sellers_confirmation(
    buyer, address, sku_a, shop_a
):
    order = shipped_order(buyer, address, sku_a)
    refund = ask(buyer, order, kind="return", reason="not_as_described")
    refund = services.approve_refund(shop=shop_a, refund_id=refund.pk)
    assert refund.status == "awaiting_return"
    with pytest.raises(IllegalTransition):
        services.confirm_return(shop=shop_a, refund_id=refund.pk)

    refund = services.ship_back(
        buyer=buyer, refund_id=refund.pk, carrier="中通快递", tracking_no="ZT99887766"
    )
    assert refund.status == "returning" and refund.return_due_at is not None
    refund = services.confirm_return(shop=shop_a, refund_id=refund.pk)

    assert refund.status == "refunded" and reload(order).refunded_minor == order.total_minor


def test_a_rejected_request_frees_the_amount_and_needs_a_reason(buyer, address, sku_a, shop_a):
    order = shipped_order(buyer, address, sku_a)
    refund = ask(buyer, order)
    with pytest.raises(Invalid):
        services.reject_refund(shop=shop_a, refund_id=refund.pk, note=" ")

    refund = services.reject_refund(shop=shop_a, refund_id=refund.pk, note="人为损坏")

    assert refund.status == "rejected" and refund.seller_note == "人为损坏"
    assert reload(order).refund_claimed_minor == 0 and reload(order).status == "shipped"


def test_another_shop_cannot_answer_a_refund(buyer, address, sku_a, shop_b):
    order = shipped_order(buyer, address, sku_a)
    refund = ask(buyer, order)

    with pytest.raises(NotFound):
        services.approve_refund(shop=shop_b, refund_id=refund.pk)

    assert reload(refund).status == "requested"


def test_a_second_open_request_on_one_order_is_refused(buyer, address, sku_a):
    order = shipped_order(buyer, address, sku_a)
    ask(buyer, order, 100)

    with pytest.raises(Conflict) as caught:
        ask(buyer, order, 100)

    assert caught.value.code == "refund_already_open"


def test_silence_for_five_days_approves_and_silence_for_seven_days_confirms_a_return(
    buyer, address, sku_a, sku_b, shop_a
):
    money_only = ask(buyer, shipped_order(buyer, address, sku_a))
    goods = ask(buyer, shipped_order(buyer, address, sku_b), kind="return", reason="damaged")
    assert services.sweep_refund_deadlines() == 0  # nothing due yet
    RefundRequest.objects.update(seller_due_at=Now() - datetime.timedelta(seconds=1))

    assert services.sweep_refund_deadlines() == 2
    assert reload(money_only).status == "refunded"
    assert reload(goods).status == "awaiting_return"

    services.ship_back(buyer=buyer, refund_id=goods.pk, carrier="顺丰", tracking_no="SF12345678")
    RefundRequest.objects.filter(pk=goods.pk).update(
        return_due_at=Now() - datetime.timedelta(seconds=1)
    )
    assert services.sweep_refund_deadlines() == 1
    assert services.sweep_refund_deadlines() == 0  # idempotent
    assert reload(goods).status == "refunded"


def test_an_open_refund_pauses_auto_confirm_and_a_rejection_gives_the_time_back(
    buyer, address, sku_a, shop_a
):
    order = shipped_order(buyer, address, sku_a)
    refund = ask(buyer, order, 100)
    due_for_auto_complete(pk=order.pk)

    assert services.auto_complete_orders() == 0
    assert reload(order).status == "shipped"

    before = reload(order).auto_complete_at
    services.reject_refund(shop=shop_a, refund_id=refund.pk, note="no")
    assert reload(order).auto_complete_at >= before


def test_no_reason_return_is_refused_for_perishable_goods(buyer, address, sku_a):
    Product.objects.filter(pk=sku_a.product_id).update(returns_7day=False, is_perishable=True)
    order = shipped_order(buyer, address, sku_a)

    with pytest.raises(Invalid) as caught:
        ask(buyer, order, reason="no_reason", kind="return")

    assert caught.value.code == "no_reason_return_refused"
    assert reload(order).refund_claimed_minor == 0


def test_no_reason_return_is_offered_for_products_that_offer_it(buyer, address, sku_a):
    order = shipped_order(buyer, address, sku_a)

    refund = ask(buyer, order, reason="no_reason", kind="return")

    assert refund.status == "requested"


def test_nothing_to_return_before_shipment_and_unpaid_orders_cannot_be_refunded(
    buyer, address, sku_a
):
    from villagemarket.orders.tests.factories import checkout

    unpaid = checkout(buyer, address, (sku_a.pk, 1)).orders[0]
    with pytest.raises(Conflict):
        ask(buyer, unpaid)
    with pytest.raises(Invalid):
        ask(buyer, paid_order(buyer, address, sku_a), kind="return")


def test_a_refund_after_settlement_comes_from_the_sellers_payable(buyer, address, sku_a, shop_a):
    from villagemarket.ledger import services as ledger

    order = shipped_order(buyer, address, sku_a)
    services.confirm_receipt(buyer=buyer, order_id=order.pk)
    ledger.settle_order(
        reference=f"order:{order.pk}",
        shop_id=shop_a.pk,
        lines=[ledger.OrderLine(amount=reload(order).goods)],
        freight=reload(order).freight,
    )

    refund = services.approve_refund(
        shop=shop_a, refund_id=ask(buyer, order, 500, reason="damaged").pk
    )

    posting = LedgerTransaction.objects.get(reference=f"refund:{refund.pk}")
    assert posting.event == EventType.REFUND_AFTER_SETTLEMENT
    assert reload(order).status == "completed" and reload(order).refunded_minor == 500


def test_another_buyer_cannot_ask_for_a_refund_of_my_order(buyer, alice, address, sku_a):
    order = paid_order(buyer, address, sku_a)

    with pytest.raises(NotFound):
        ask(alice, order)

    assert not RefundRequest.objects.exists()
    assert ShopOrder.objects.get(pk=order.pk).refund_claimed_minor == 0


def test_a_paid_refund_lowers_the_observatorys_sales_once(
    buyer, address, sku_a, shop_a, django_capture_on_commit_callbacks
):
    from villagemarket.observatory.models import SaleEvent

    order = shipped_order(buyer, address, sku_a)
    refund = ask(buyer, order, 700)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_refund(shop=shop_a, refund_id=refund.pk)

    event = SaleEvent.objects.get(kind=SaleEvent.Kind.REFUND)
    assert (event.ref, event.amount_minor, event.shop_id) == (f"refund:{refund.pk}", 700, shop_a.pk)


def test_a_refund_the_provider_refuses_changes_nothing(buyer, address, sku_a, monkeypatch):
    # given a paid order whose provider will refuse to give money back
    from villagemarket.payments.providers import sandbox
    from villagemarket.payments.providers.remote import RefundResult

    order = paid_order(buyer, address, sku_a)

    def refuse(self, payment, *, amount, refund_no, reason=""):
        return RefundResult(
            provider="sandbox",
            refund_no=refund_no,
            amount_minor=amount.minor,
            currency=amount.currency,
            status="failed",
            detail={"reason": "account_frozen"},
        )

    monkeypatch.setattr(sandbox.SandboxProvider, "refund", refuse)

    # when the buyer asks before shipment (granted at once, so the provider is asked at once)
    with pytest.raises(Conflict) as refused:
        ask(buyer, order)

    # then the answer says so and the order is as it was
    assert refused.value.code == "provider_refund_failed"
    assert "account_frozen" in refused.value.message
    order = reload(order)
    assert order.refunded_minor == 0 and order.refund_claimed_minor == 0
    assert order.status == "awaiting_shipment"
    assert not RefundRequest.objects.exists()
