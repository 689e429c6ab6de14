"""Races on PostgreSQL with real threads released together (SQLite serialises writers: skip)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from villagemarket.core.errors import DomainError
from villagemarket.logistics import services
from villagemarket.logistics.models import PickupItem
from villagemarket.orders.models import ShopOrder
from villagemarket.testing.threads import run_together

from .conftest import numbered

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _code(outcome) -> str:
    return outcome.code if isinstance(outcome, DomainError) else type(outcome).__name__


def test_two_hand_overs_of_one_batch_ship_it_once(alice, point, batch, orders):
    services.add_orders(point=point, batch_id=batch.pk, order_ids=[o.pk for o in orders])
    services.assign_tracking(point=point, batch_id=batch.pk, numbers=numbered(batch, orders))

    def hand_over():
        return services.hand_over(user=alice, point=point, batch_id=batch.pk)

    outcomes = run_together(hand_over, hand_over)

    # one wins; the other waited on the batch's lock and is told it was handed over already
    codes = sorted(_code(o) for o in outcomes)
    assert codes == ["PickupBatch", "illegal_transition"], outcomes
    assert ShopOrder.objects.filter(status="shipped").count() == len(orders)


def test_one_order_raced_into_two_batches_lands_in_one(alice, point, batch, orders):
    other = services.create_batch(
        user=alice, point=point, courier_code="SF", pickup_date=timezone.localdate()
    )
    order_id = orders[0].pk

    outcomes = run_together(
        lambda: services.add_orders(point=point, batch_id=batch.pk, order_ids=[order_id]),
        lambda: services.add_orders(point=point, batch_id=other.pk, order_ids=[order_id]),
    )

    # the loser is refused: by the check when the winner had committed, else by the unique
    # constraint (the only guard when both checked before either inserted)
    codes = sorted(_code(o) for o in outcomes)
    assert codes in (["invalid", "list"], ["list", "order_in_open_batch"]), outcomes
    assert PickupItem.objects.filter(order_id=order_id, in_open_batch=True).count() == 1
