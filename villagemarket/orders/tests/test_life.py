"""Order life: payment, cancel, unpaid timeout, ship, confirm, extend, auto-complete."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from villagemarket.catalog.models import SKU
from villagemarket.core.errors import Conflict, IllegalTransition, Invalid, NotFound
from villagemarket.orders import services
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.tests.factories import (
    age_orders,
    checkout,
    due_for_auto_complete,
    paid_order,
    shipped_order,
)

pytestmark = pytest.mark.django_db(transaction=False)


def stock(sku) -> int:
    return SKU.objects.get(pk=sku.pk).stock


def test_payment_moves_every_order_of_the_checkout_to_awaiting_shipment_once(
    buyer, address, sku_a, sku_b
):
    result = checkout(buyer, address, (sku_a.pk, 1), (sku_b.pk, 1))

    outcome = services.payment_succeeded(result.payment)
    first = list(ShopOrder.objects.order_by("pk"))
    again = services.payment_succeeded(result.payment)
    second = list(ShopOrder.objects.order_by("pk"))

    assert [o.status for o in first] == ["awaiting_shipment", "awaiting_shipment"]
    assert all(o.paid_at for o in first) and [o.paid_at for o in second] == [
        o.paid_at for o in first
    ]
    assert not outcome.needs_refund and not again.needs_refund


def test_payment_after_the_timeout_leaves_the_order_closed_and_reports_it(buyer, address, sku_a):
    result = checkout(buyer, address, (sku_a.pk, 2))
    age_orders(minutes=16)
    assert services.close_unpaid_orders() == 1

    outcome = services.payment_succeeded(result.payment)

    assert outcome.needs_refund and outcome.closed_parts == 1  # payments sets needs_refund
    assert ShopOrder.objects.get().status == "closed"
    assert stock(sku_a) == 10


def test_payment_failure_changes_nothing(buyer, address, sku_a):
    result = checkout(buyer, address, (sku_a.pk, 1))
    assert services.payment_failed(result.payment) is None
    assert ShopOrder.objects.get().status == "awaiting_payment"


def test_unpaid_orders_close_after_the_timeout_and_stock_returns(buyer, address, sku_a, settings):
    settings.UNPAID_ORDER_TIMEOUT_MINUTES = 15
    checkout(buyer, address, (sku_a.pk, 3))
    age_orders(minutes=14)
    assert services.close_unpaid_orders() == 0 and stock(sku_a) == 7

    age_orders(minutes=16)
    assert services.close_unpaid_orders() == 1
    order = ShopOrder.objects.get()
    assert (order.status, order.close_reason, stock(sku_a)) == ("closed", "unpaid", 10)
    assert order.closed_at is not None
    assert order.payment.status == "closed"  # nobody can pay for it any more
    assert services.close_unpaid_orders() == 0 and stock(sku_a) == 10  # idempotent


def test_the_timeout_sweep_leaves_paid_orders_alone(buyer, address, sku_a):
    paid_order(buyer, address, sku_a)
    age_orders(minutes=60)
    assert services.close_unpaid_orders() == 0
    assert ShopOrder.objects.get().status == "awaiting_shipment"


def test_the_timeout_compares_with_the_database_clock_not_the_app_server(buyer, address, sku_a):
    checkout(buyer, address, (sku_a.pk, 1))
    # An app server whose clock runs a day ahead must not close a fresh order.
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert services.close_unpaid_orders() == 0


def test_buyer_cancels_an_unpaid_checkout_and_its_stock_returns(buyer, address, sku_a, sku_b):
    result = checkout(buyer, address, (sku_a.pk, 2), (sku_b.pk, 1))

    cancelled = services.cancel_unpaid(buyer=buyer, order_id=result.orders[0].pk)

    assert {o.status for o in cancelled} == {"closed"} and len(cancelled) == 2
    assert (stock(sku_a), stock(sku_b)) == (10, 5)
    result.payment.refresh_from_db()
    assert result.payment.status == "closed"
    with pytest.raises(IllegalTransition):
        services.cancel_unpaid(buyer=buyer, order_id=result.orders[0].pk)
    assert (stock(sku_a), stock(sku_b)) == (10, 5)


def test_a_paid_order_cannot_be_cancelled_by_the_buyer(buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    with pytest.raises(IllegalTransition):
        services.cancel_unpaid(buyer=buyer, order_id=order.pk)
    assert ShopOrder.objects.get().status == "awaiting_shipment" and stock(sku_a) == 9


def test_another_buyer_cannot_cancel_or_confirm(buyer, bob, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    with pytest.raises(NotFound):
        services.cancel_unpaid(buyer=bob, order_id=order.pk)
    with pytest.raises(NotFound):
        services.confirm_receipt(buyer=bob, order_id=order.pk)
    assert ShopOrder.objects.get().status == "awaiting_shipment"


def test_shipping_records_carrier_and_sets_auto_completion_by_the_database_clock(
    buyer, address, sku_a, settings
):
    settings.AUTO_CONFIRM_DAYS = 10
    order = paid_order(buyer, address, sku_a)

    shipped = services.ship_order(
        shop=order.shop, order_id=order.pk, carrier=" 中通快递 ", tracking_no="ZT1234567890"
    )

    assert (shipped.status, shipped.carrier, shipped.tracking_no) == (
        "shipped",
        "中通快递",
        "ZT1234567890",
    )
    assert shipped.auto_complete_at - shipped.shipped_at == datetime.timedelta(days=10)


def test_an_unpaid_order_cannot_ship_and_bad_tracking_numbers_are_refused(buyer, address, sku_a):
    order = checkout(buyer, address, (sku_a.pk, 1)).orders[0]
    with pytest.raises(IllegalTransition):
        services.ship_order(
            shop=order.shop, order_id=order.pk, carrier="中通", tracking_no="ZT1234567890"
        )
    services.payment_succeeded(order.payment)
    with pytest.raises(Invalid) as refused:
        services.ship_order(shop=order.shop, order_id=order.pk, carrier="", tracking_no="12")
    assert set(refused.value.fields) == {"carrier", "tracking_no"}
    assert ShopOrder.objects.get().status == "awaiting_shipment"


def test_another_shop_cannot_ship_the_order(buyer, address, sku_a, shop_b):
    order = paid_order(buyer, address, sku_a)
    with pytest.raises(NotFound):
        services.ship_order(
            shop=shop_b, order_id=order.pk, carrier="中通", tracking_no="ZT1234567890"
        )
    assert ShopOrder.objects.get().status == "awaiting_shipment"


def test_confirming_receipt_completes_the_order_and_records_the_sale_after_commit(
    buyer, address, sku_a, django_capture_on_commit_callbacks
):
    order = shipped_order(buyer, address, sku_a, 2)
    with (
        mock.patch("villagemarket.observatory.services.record_sale") as record_sale,
        django_capture_on_commit_callbacks(execute=True),
    ):
        done = services.confirm_receipt(buyer=buyer, order_id=order.pk)
    assert done.status == "completed" and done.completed_at
    record_sale.assert_called_once_with(
        shop_id=order.shop_id,
        ref=f"order:{order.pk}",
        day=timezone.localdate(done.completed_at),
        amount_minor=19800,
    )
    with pytest.raises(IllegalTransition):
        services.confirm_receipt(buyer=buyer, order_id=order.pk)


def test_the_seller_extends_auto_confirmation_once(buyer, address, sku_a, settings):
    settings.AUTO_CONFIRM_DAYS = 10
    order = shipped_order(buyer, address, sku_a)
    extended = services.extend_auto_confirm(shop=order.shop, order_id=order.pk, days=5)
    assert (
        extended.extended
        and extended.auto_complete_at - order.auto_complete_at == datetime.timedelta(days=5)
    )
    with pytest.raises(Conflict) as refused:
        services.extend_auto_confirm(shop=order.shop, order_id=order.pk, days=5)
    assert refused.value.code == "already_extended"
    assert ShopOrder.objects.get().auto_complete_at == extended.auto_complete_at


def test_shipped_orders_complete_automatically_when_due_and_only_then(
    buyer, address, sku_a, django_capture_on_commit_callbacks
):
    order = shipped_order(buyer, address, sku_a)
    assert services.auto_complete_orders() == 0
    due_for_auto_complete(pk=order.pk)
    with (
        mock.patch("villagemarket.observatory.services.record_sale") as record_sale,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.auto_complete_orders() == 1
        assert services.auto_complete_orders() == 0
    assert ShopOrder.objects.get().status == "completed"
    assert record_sale.call_count == 1


def test_sweeps_do_a_bounded_number_of_queries_per_batch(buyer, address, sku_a):
    for _ in range(3):
        checkout(buyer, address, (sku_a.pk, 1))
    age_orders(minutes=30)
    with CaptureQueriesContext(connection) as queries:
        assert services.close_unpaid_orders() == 3
    assert len(queries) < 20
