"""Shipping with a courier from the list (code or name) and the "delivered" rule."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from villagemarket.core.errors import Invalid
from villagemarket.core.money import Money
from villagemarket.orders import hooks, services
from villagemarket.orders.delivery import deadline_after_delivery
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.tests.factories import paid_order

pytestmark = pytest.mark.django_db


def ship(order, carrier="ZTO", number="75123456789012"):
    return services.ship_order(
        shop=order.shop, order_id=order.pk, carrier=carrier, tracking_no=number
    )


# --- shipping ----------------------------------------------------------------------------------
def test_a_courier_code_links_the_courier_and_stores_the_number_upper_cased(buyer, address, sku_a):
    order = ship(paid_order(buyer, address, sku_a), carrier="sf", number="sf1234567890123")
    assert (order.courier.code, order.carrier, order.tracking_no) == (
        "SF",
        "顺丰速运",
        "SF1234567890123",
    )


def test_a_number_that_does_not_fit_the_courier_changes_nothing(buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    with pytest.raises(Invalid) as refused:
        ship(order, carrier="SF", number="75123456789012")
    assert list(refused.value.fields) == ["tracking_no"]
    order.refresh_from_db()
    assert (order.status, order.courier_id, order.tracking_no) == ("awaiting_shipment", None, "")


def test_a_courier_name_is_linked_when_the_number_fits(buyer, address, sku_a):
    order = ship(paid_order(buyer, address, sku_a), carrier="顺丰", number="SF1234567890123")
    assert order.courier.code == "SF" and order.carrier == "顺丰速运"


def test_an_old_style_name_with_a_number_that_does_not_fit_ships_unlinked(buyer, address, sku_a):
    # Old API clients and scripts: shipped as before under the name, not tracked.
    order = ship(paid_order(buyer, address, sku_a), carrier="中通快递", number="ZT1234567890")
    assert (order.courier_id, order.carrier, order.tracking_no) == (
        None,
        "中通快递",
        "ZT1234567890",
    )


def test_an_unlisted_carrier_ships_by_its_name(buyer, address, sku_a):
    order = ship(paid_order(buyer, address, sku_a), carrier="村村通物流", number="CCT-000123")
    assert (order.courier_id, order.carrier) == (None, "村村通物流")


def test_other_without_a_name_is_refused_naming_the_carrier(buyer, address, sku_a):
    with pytest.raises(Invalid) as refused:
        ship(paid_order(buyer, address, sku_a), carrier="OTHER", number="CCT-000123")
    assert "carrier" in refused.value.fields


def test_the_batch_csv_takes_codes_and_names_and_checks_numbers_for_coded_couriers(
    buyer, address, sku_a
):
    first, second = paid_order(buyer, address, sku_a), paid_order(buyer, address, sku_a)
    with pytest.raises(Invalid) as refused:
        services.ship_batch(
            shop=first.shop,
            csv_text=f"{first.pk},ZTO,75123456789012\n{second.pk},SF,75123456789012\n",
        )
    assert list(refused.value.fields) == ["row 2"]
    assert "顺丰速运" in refused.value.fields["row 2"][0]
    assert ShopOrder.objects.filter(status="shipped").count() == 0

    shipped = services.ship_batch(
        shop=first.shop,
        csv_text=(
            "order_id,carrier,tracking_no\n"
            f"{first.pk},zto,75123456789012\n{second.pk},顺丰速运,SF1234567890123\n"
        ),
    )
    assert [o.courier.code for o in shipped] == ["ZTO", "SF"]


def test_the_ship_form_offers_the_couriers_and_checks_the_number(people, buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    page = people["alice"].get(f"/seller/orders/alice-costumes/{order.pk}/")
    assert 'value="SF"' in page.content.decode() and "顺丰速运" in page.content.decode()
    url = f"/seller/orders/alice-costumes/{order.pk}/ship/"
    refused = people["alice"].post(url, {"courier": "SF", "tracking_no": "123456789"})
    assert refused.status_code == 422 and "顺丰速运" in refused.content.decode()
    assert ShopOrder.objects.get(pk=order.pk).status == "awaiting_shipment"
    done = people["alice"].post(url, {"courier": "SF", "tracking_no": "SF1234567890123"})
    assert done.status_code == 302
    assert ShopOrder.objects.get(pk=order.pk).courier.code == "SF"


def test_the_ship_form_takes_an_other_carrier_by_name(people, buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    url = f"/seller/orders/alice-costumes/{order.pk}/ship/"
    people["alice"].post(url, {"courier": "OTHER", "carrier": "村村通", "tracking_no": "CC123456"})
    order.refresh_from_db()
    assert (order.status, order.carrier, order.courier_id) == ("shipped", "村村通", None)


def test_the_api_ships_with_a_courier_code_and_answers_it(people, buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    response = people["alice"].post(
        f"/api/v1/orders/shops/alice-costumes/orders/{order.pk}/ship",
        {"carrier": "YD", "tracking_no": "4312345678901"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["courier_code"] == "YD" and response.json()["delivered_at"] is None


# --- delivered ---------------------------------------------------------------------------------
NOW = datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)


def test_delivery_moves_the_deadline_earlier_never_later():
    shipped_deadline = NOW + datetime.timedelta(days=10)
    assert deadline_after_delivery(
        shipped_deadline, NOW, confirm_days=3
    ) == NOW + datetime.timedelta(days=3)
    late = NOW + datetime.timedelta(days=9)
    assert deadline_after_delivery(shipped_deadline, late, confirm_days=3) == shipped_deadline
    assert deadline_after_delivery(shipped_deadline, NOW, confirm_days=3, refund_open=True) == (
        shipped_deadline
    )
    assert deadline_after_delivery(shipped_deadline, NOW, confirm_days=3, extended=True) == (
        shipped_deadline
    )


def test_mark_delivered_records_the_time_and_starts_the_shorter_clock(buyer, address, sku_a):
    order = ship(paid_order(buyer, address, sku_a))
    before = order.auto_complete_at
    at = timezone.now() - datetime.timedelta(hours=1)
    heard = []
    hooks.on_order_event(heard.append)
    try:
        delivered = services.mark_delivered(order.pk, at)
    finally:
        hooks._event_listeners.remove(heard.append)
    assert delivered.delivered_at == at
    assert delivered.auto_complete_at == at + datetime.timedelta(days=3) < before
    assert [e.kind for e in heard] == [hooks.DELIVERED]


def test_a_second_report_changes_nothing(buyer, address, sku_a):
    order = ship(paid_order(buyer, address, sku_a))
    first = services.mark_delivered(order.pk, timezone.now() - datetime.timedelta(days=1))
    again = services.mark_delivered(order.pk, timezone.now())
    assert (again.delivered_at, again.auto_complete_at) == (
        first.delivered_at,
        first.auto_complete_at,
    )


@override_settings(DELIVERED_CONFIRM_DAYS=30)
def test_the_clock_never_moves_later_than_the_shipping_deadline(buyer, address, sku_a):
    order = ship(paid_order(buyer, address, sku_a))
    delivered = services.mark_delivered(order.pk, timezone.now())
    assert delivered.auto_complete_at == order.auto_complete_at


def test_an_open_refund_keeps_the_clock(buyer, address, sku_a):
    order = ship(paid_order(buyer, address, sku_a))
    services.request_refund(
        buyer=buyer,
        order_id=order.pk,
        amount=Money(order.total_minor, "CNY"),
        reason="damaged",
        kind="money_only",
    )
    delivered = services.mark_delivered(order.pk, timezone.now())
    assert delivered.delivered_at is not None
    assert delivered.auto_complete_at == order.auto_complete_at


def test_an_order_that_is_not_shipped_is_left_alone(buyer, address, sku_a):
    order = paid_order(buyer, address, sku_a)
    assert services.mark_delivered(order.pk, timezone.now()).delivered_at is None
