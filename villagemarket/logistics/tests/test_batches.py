"""Pickup batches: gather across shops, number, hand over all at once or nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from villagemarket.core.errors import Conflict, IllegalTransition, Invalid, NotFound
from villagemarket.core.money import Money
from villagemarket.logistics import selectors, services
from villagemarket.logistics.models import PickupItem
from villagemarket.orders import services as order_services
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.tests.factories import paid_order

from .conftest import numbered

pytestmark = pytest.mark.django_db


def _statuses(orders) -> list[str]:
    return list(
        ShopOrder.objects.filter(pk__in=[o.pk for o in orders])
        .order_by("pk")
        .values_list("status", flat=True)
    )


def test_a_batch_gathers_orders_of_the_point_and_its_member_and_ships_them_at_once(
    alice, point, batch, orders
):
    # given: the day's three orders of two households and a partner shop, numbered
    candidates = selectors.candidate_orders(point)
    assert {o.pk for o in candidates} == {o.pk for o in orders}
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in candidates])
    services.assign_tracking(point=point, batch_id=batch.pk, numbers=numbered(batch, orders))

    # when
    handed = services.hand_over(user=alice, point=point, batch_id=batch.pk)

    # then: every order shipped with the courier and its own number; the batch is closed
    assert handed.status == "handed_over" and handed.handed_over_at is not None
    shipped = ShopOrder.objects.filter(pk__in=[o.pk for o in orders]).order_by("pk")
    assert [(o.status, o.tracking_no) for o in shipped] == [
        ("shipped", number) for number in numbered(batch, orders).values()
    ]
    assert {o.shop_id for o in shipped} == {orders[0].shop_id, orders[2].shop_id}
    assert not PickupItem.objects.filter(in_open_batch=True).exists()
    assert not selectors.candidate_orders(point).exists()


def test_a_refund_meanwhile_ships_nothing_and_names_the_order(alice, buyer, point, batch, orders):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders])
    services.assign_tracking(point=point, batch_id=batch.pk, numbers=numbered(batch, orders))
    # a buyer is refunded before shipment (granted at once): the order closes
    order_services.request_refund(
        buyer=buyer,
        order_id=orders[1].pk,
        amount=Money(orders[1].total_minor, "CNY"),
        reason="changed_mind",
        kind="money_only",
    )

    with pytest.raises(Conflict) as refused:
        services.hand_over(user=alice, point=point, batch_id=batch.pk)

    assert f"#{orders[1].pk}" in refused.value.fields["order_ids"][0]
    assert _statuses(orders) == ["awaiting_shipment", "closed", "awaiting_shipment"]
    # the point removes it and the rest ship
    services.remove_order(point=point, batch_id=batch.pk, order_id=orders[1].pk)
    services.hand_over(user=alice, point=point, batch_id=batch.pk)
    assert _statuses(orders) == ["shipped", "closed", "shipped"]


def test_a_failure_mid_way_at_hand_over_leaves_nothing_shipped(
    alice, point, batch, orders, monkeypatch
):
    # given: the checks pass, but the second order's shipping fails after the first shipped
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders])
    services.assign_tracking(point=point, batch_id=batch.pk, numbers=numbered(batch, orders))
    from villagemarket.logistics.services import batches

    real_ship, calls = batches.ship_order, []

    def ship_then_fail(**kwargs):
        calls.append(kwargs["order_id"])
        if len(calls) == 2:
            raise IllegalTransition("The order was cancelled.")
        return real_ship(**kwargs)

    monkeypatch.setattr(batches, "ship_order", ship_then_fail)

    # when
    with pytest.raises(Conflict) as refused:
        services.hand_over(user=alice, point=point, batch_id=batch.pk)

    # then: the first order's shipping was rolled back with the rest; the batch is still open
    assert len(calls) == 2
    assert f"#{calls[1]}" in refused.value.message
    assert _statuses(orders) == ["awaiting_shipment"] * 3
    assert ShopOrder.objects.filter(tracking_no__gt="").count() == 0
    batch.refresh_from_db()
    assert batch.status == "open"


def test_an_order_without_a_tracking_number_ships_nothing(alice, point, batch, orders):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders])
    services.assign_tracking(point=point, batch_id=batch.pk, numbers=numbered(batch, orders[:2]))
    with pytest.raises(Conflict) as refused:
        services.hand_over(user=alice, point=point, batch_id=batch.pk)
    assert refused.value.fields["order_ids"] == [f"Order #{orders[2].pk} has no tracking number."]
    assert _statuses(orders) == ["awaiting_shipment"] * 3


def test_an_order_in_two_open_batches_is_refused(alice, point, batch, orders):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[orders[0].pk])
    other = services.create_batch(
        user=alice, point=point, courier_code="SF", pickup_date=timezone.localdate()
    )
    with pytest.raises(Invalid) as refused:
        services.add_orders(point=point, batch_id=other.pk, order_ids=[orders[1].pk, orders[0].pk])
    assert f"already in open batch #{batch.pk}" in refused.value.fields["order_ids"][0]
    assert not other.items.exists()  # all or nothing: orders[1] was not added either


def test_the_database_refuses_an_order_in_two_open_batches(alice, point, batch, orders):
    from django.db import IntegrityError, transaction

    services.add_orders(point=point, batch_id=batch.pk, order_ids=[orders[0].pk])
    other = services.create_batch(
        user=alice, point=point, courier_code="SF", pickup_date=timezone.localdate()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PickupItem.objects.create(batch=other, order=orders[0])


def test_a_handed_over_or_cancelled_batch_frees_its_orders_for_history(alice, point, batch, orders):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[orders[0].pk])
    services.cancel_batch(point=point, batch_id=batch.pk)
    again = services.create_batch(
        user=alice, point=point, courier_code="ZTO", pickup_date=timezone.localdate()
    )
    services.add_orders(point=point, batch_id=again.pk, order_ids=[orders[0].pk])
    assert PickupItem.objects.filter(order=orders[0]).count() == 2
    with pytest.raises(IllegalTransition):
        services.add_orders(point=point, batch_id=batch.pk, order_ids=[orders[1].pk])


def test_orders_of_shops_that_did_not_join_are_refused(
    alice, buyer, address, point, batch, sku_a, orders
):
    # alice's own household shop (shop_a) is no member of her point: no mixing by accident
    stranger = paid_order(buyer, address, sku_a)
    with pytest.raises(Invalid) as refused:
        services.add_orders(point=point, batch_id=batch.pk, order_ids=[stranger.pk])
    assert "not an order of this point" in refused.value.fields["order_ids"][0]


def test_a_handed_over_batch_is_handed_over_once(alice, point, batch, orders):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[orders[0].pk])
    services.assign_tracking(point=point, batch_id=batch.pk, numbers=numbered(batch, orders[:1]))
    services.hand_over(user=alice, point=point, batch_id=batch.pk)
    with pytest.raises(IllegalTransition):
        services.hand_over(user=alice, point=point, batch_id=batch.pk)


def test_tracking_numbers_follow_the_couriers_pattern_and_are_all_or_nothing(point, batch, orders):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders])
    with pytest.raises(Invalid) as refused:
        services.assign_tracking(
            point=point,
            batch_id=batch.pk,
            numbers={orders[0].pk: "700000000001", orders[1].pk: "SF1234"},
        )
    assert list(refused.value.fields) == ["tracking_numbers"]
    assert f"#{orders[1].pk}" in refused.value.fields["tracking_numbers"][0]
    assert not PickupItem.objects.exclude(tracking_no="").exists()


def test_a_number_range_numbers_the_parcels_in_list_order(point, batch, orders):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders])
    services.assign_range(point=point, batch_id=batch.pk, start="700000000099")
    numbers = sorted(PickupItem.objects.values_list("tracking_no", flat=True))
    assert numbers == ["700000000099", "700000000100", "700000000101"]


def test_a_range_past_its_digits_is_refused_naming_start(point, batch, orders):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders])
    with pytest.raises(Invalid) as refused:
        services.assign_range(point=point, batch_id=batch.pk, start="999999999998")
    assert "start" in refused.value.fields
    assert not PickupItem.objects.exclude(tracking_no="").exists()


def test_one_number_for_two_parcels_is_refused(point, batch, orders):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders[:2]])
    with pytest.raises(Invalid):
        services.assign_tracking(
            point=point,
            batch_id=batch.pk,
            numbers={orders[0].pk: "700000000001", orders[1].pk: "700000000001"},
        )


def test_a_household_shop_cannot_run_pickups(alice, shop_a):
    with pytest.raises(Conflict):
        services.create_batch(
            user=alice, point=shop_a, courier_code="ZTO", pickup_date=timezone.localdate()
        )


def test_a_batch_needs_a_listed_courier_and_a_date_not_past(alice, point):
    import datetime

    with pytest.raises(Invalid) as refused:
        services.create_batch(
            user=alice,
            point=point,
            courier_code="NOPE",
            pickup_date=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert sorted(refused.value.fields) == ["courier", "pickup_date"]


def test_pick_list_groups_lines_by_household_and_shop(point, batch, orders):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders])
    groups = selectors.pick_list(selectors.batch_items(batch))
    assert [(g.shop, g.household, g.total_quantity) for g in groups] == [
        ("Bob 羽绒被", "", 1),
        ("丁楼服务站", "李家", 1),
        ("丁楼服务站", "王家", 2),
    ]
    assert groups[2].lines[0].order_ids == [orders[0].pk]


def test_a_member_sees_only_its_own_orders_of_a_batch(point, batch, orders, member):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders])
    seen = selectors.batch_for(member, batch.pk)
    assert [i.order_id for i in selectors.batch_items(seen, shop=member)] == [orders[2].pk]


def test_a_stranger_shop_sees_no_batch(point, batch, shop_a):
    with pytest.raises(NotFound):
        selectors.batch_for(shop_a, batch.pk)
