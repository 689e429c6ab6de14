"""orders' hooks: the apps above hear about completed and refunded orders inside the same
transaction, so the record commits (or rolls back) with the completion or refund."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import transaction

from villagemarket.observatory.models import ShopDailySales
from villagemarket.orders import hooks
from villagemarket.orders.tests.factories import shipped_order

pytestmark = pytest.mark.django_db(transaction=True)
DAY = datetime.date(2026, 11, 30)


def test_the_observatory_counts_a_refund_told_through_the_hook_once_in_its_transaction(shop_a):
    refund = hooks.Refund(
        shop_id=shop_a.pk, ref="refund:1", day=DAY, amount_minor=900, currency="CNY"
    )
    with transaction.atomic():
        hooks.order_refunded(refund)
        assert ShopDailySales.objects.exists()  # in the refund's own transaction
    hooks.order_refunded(refund)  # told twice: counted once

    row = ShopDailySales.objects.get(shop=shop_a, day=DAY)
    assert row.refunds_minor == 900


def test_a_rolled_back_refund_is_never_counted(shop_a):
    refund = hooks.Refund(
        shop_id=shop_a.pk, ref="refund:2", day=DAY, amount_minor=900, currency="CNY"
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        hooks.order_refunded(refund)
        raise RuntimeError("refund failed")

    assert not ShopDailySales.objects.exists()


def test_a_completion_reaches_every_registered_listener(buyer, address, sku_a):
    from villagemarket.orders import services

    order = shipped_order(buyer, address, sku_a)
    heard = mock.Mock()
    hooks.on_order_completed(heard)
    try:
        services.confirm_receipt(buyer=buyer, order_id=order.pk)
    finally:
        hooks._completion_listeners.remove(heard)

    (sale,) = heard.call_args.args
    assert (sale.shop_id, sale.ref, sale.amount_minor) == (order.shop_id, f"order:{order.pk}", 9900)


def test_a_completion_whose_sale_cannot_be_recorded_does_not_happen(buyer, address, sku_a):
    # Never lost: when the observatory's record fails, the completion and its settlement roll
    # back with it (the buyer can confirm again, the auto-confirm sweep retries).
    from villagemarket.ledger.models import LedgerTransaction
    from villagemarket.orders import services
    from villagemarket.orders.models import ShopOrder

    order = shipped_order(buyer, address, sku_a)
    broken = mock.Mock(side_effect=RuntimeError("observatory down"))
    hooks.on_order_completed(broken)
    try:
        with pytest.raises(RuntimeError):
            services.confirm_receipt(buyer=buyer, order_id=order.pk)
    finally:
        hooks._completion_listeners.remove(broken)

    assert ShopOrder.objects.get(pk=order.pk).status == "shipped"
    assert not LedgerTransaction.objects.filter(reference=f"order:{order.pk}").exists()
    assert not ShopDailySales.objects.exists()
    services.confirm_receipt(buyer=buyer, order_id=order.pk)
    assert ShopDailySales.objects.get(shop_id=order.shop_id).orders == 1


@pytest.fixture
def events():
    """Every OrderEvent told while the test runs, as (kind, order id, refund id)."""
    heard: list[tuple] = []

    def listener(event: hooks.OrderEvent) -> None:
        heard.append((str(event.kind), event.order_id, event.refund_id))

    hooks.on_order_event(listener)
    yield heard
    hooks._event_listeners.remove(listener)


def test_each_step_of_an_order_and_its_refund_is_told_once(
    buyer, address, sku_a, shop_a, events, django_capture_on_commit_callbacks
):
    from villagemarket.core.money import Money
    from villagemarket.orders import services

    order = shipped_order(buyer, address, sku_a)
    with django_capture_on_commit_callbacks(execute=True):
        refund = services.request_refund(
            buyer=buyer,
            order_id=order.pk,
            amount=Money(500, "CNY"),
            reason="damaged",
            kind="money_only",
        )
        services.approve_refund(shop=shop_a, refund_id=refund.pk)

    assert events == [
        ("placed", order.pk, None),
        ("pay", order.pk, None),
        ("ship", order.pk, None),
        ("refund_requested", order.pk, refund.pk),
        ("approve", order.pk, refund.pk),
        ("provider_paid", order.pk, refund.pk),
    ]


def test_a_move_that_is_refused_tells_nobody(buyer, address, sku_a, shop_a, events):
    from villagemarket.core.errors import IllegalTransition
    from villagemarket.orders import services

    order = shipped_order(buyer, address, sku_a)
    events.clear()
    with pytest.raises(IllegalTransition):
        services.ship_order(
            shop=shop_a, order_id=order.pk, carrier="中通快递", tracking_no="ZT1234567899"
        )
    services.confirm_receipt(buyer=buyer, order_id=order.pk)

    assert events == [("confirm", order.pk, None)]
