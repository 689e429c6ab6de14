"""The sale gate: a flagged order completes and settles, but its sale is not counted (catalog's
sales_count, the observatory's ShopDailySales) until an operator clears it; then it counts on
its original completion day. Confirmed as fake, it never counts."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from villagemarket.antifraud import rules, services
from villagemarket.catalog.models import Product
from villagemarket.core.errors import Conflict, Forbidden, Invalid
from villagemarket.ledger import selectors as ledger_selectors
from villagemarket.observatory.models import ShopDailySales
from villagemarket.orders import services as orders
from villagemarket.orders.models import ShopOrder

from .helpers import flags, only, order, pay, ship

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed_fake(seasoned, address, sku_a):
    """An order confirmed 5 minutes after shipment (fast-confirm flag), completed 3 days ago."""
    only(rules.FAST_CONFIRM)
    placed = order(seasoned, address, sku_a, quantity=2)
    pay(placed)
    ship(placed, minutes_ago=5)
    orders.confirm_receipt(buyer=seasoned, order_id=placed.pk)
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    ShopOrder.objects.filter(pk=placed.pk).update(completed_at=three_days_ago)
    return ShopOrder.objects.get(pk=placed.pk)


def _sold(sku) -> int:
    return Product.objects.get(pk=sku.product_id).sales_count


def test_flagged_completion_is_not_counted_but_settles(completed_fake, sku_a):
    assert completed_fake.status == "completed"
    assert completed_fake.sale_held
    assert flags(rules.FAST_CONFIRM, order=completed_fake).exists()
    assert _sold(sku_a) == 0
    assert not ShopDailySales.objects.filter(shop=completed_fake.shop).exists()
    # the money is not held: the order settled to the seller
    assert ledger_selectors.is_posted("order_settled", f"order:{completed_fake.pk}")


def test_cleared_order_counts_on_its_original_day(completed_fake, sku_a, operator):
    services.decide(
        operator=operator, confirm=False, note="Known buyer, local", order_id=completed_fake.pk
    )
    row = ShopDailySales.objects.get(shop=completed_fake.shop)
    assert row.day == timezone.localdate(completed_fake.completed_at)
    assert row.day < timezone.localdate()
    assert (row.orders, row.sales_minor) == (1, completed_fake.total_minor)
    assert _sold(sku_a) == 2
    assert not ShopOrder.objects.get(pk=completed_fake.pk).sale_held


def test_confirmed_fake_is_never_counted(completed_fake, sku_a, operator):
    services.decide(
        operator=operator, confirm=True, note="Brushing ring", order_id=completed_fake.pk
    )
    assert _sold(sku_a) == 0
    assert not ShopDailySales.objects.filter(shop=completed_fake.shop).exists()
    assert flags(rules.FAST_CONFIRM, order=completed_fake).get().status == "confirmed"


def test_an_order_cleared_before_completion_counts_when_it_completes(
    seasoned, address, sku_a, operator
):
    only(rules.NEW_ACCOUNT)
    from villagemarket.accounts.models import User

    User.objects.filter(pk=seasoned.pk).update(date_joined=timezone.now())
    placed = order(seasoned, address, sku_a)
    services.decide(operator=operator, confirm=False, note="Checked by phone", order_id=placed.pk)
    pay(placed)
    ship(placed, minutes_ago=120)
    orders.confirm_receipt(buyer=seasoned, order_id=placed.pk)
    assert _sold(sku_a) == 1
    assert ShopDailySales.objects.get(shop=placed.shop).orders == 1


def test_deciding_twice_is_a_conflict_and_counts_once(completed_fake, sku_a, operator):
    services.decide(operator=operator, confirm=False, note="ok", order_id=completed_fake.pk)
    with pytest.raises(Conflict):
        services.decide(operator=operator, confirm=True, note="fake", order_id=completed_fake.pk)
    assert _sold(sku_a) == 2
    assert orders.count_held_sale(completed_fake.pk) is False
    assert _sold(sku_a) == 2


def test_a_decision_needs_an_operator_and_a_note(completed_fake, alice, operator):
    with pytest.raises(Forbidden):
        services.decide(operator=alice, confirm=False, note="mine", order_id=completed_fake.pk)
    with pytest.raises(Invalid) as refused:
        services.decide(operator=operator, confirm=False, note="  ", order_id=completed_fake.pk)
    assert "note" in refused.value.fields
    assert ShopOrder.objects.get(pk=completed_fake.pk).sale_held


def test_unflagged_orders_count_as_before(seasoned, address, sku_a):
    only(rules.FAST_CONFIRM)
    placed = order(seasoned, address, sku_a)
    pay(placed)
    ship(placed, minutes_ago=24 * 60)
    orders.confirm_receipt(buyer=seasoned, order_id=placed.pk)
    assert _sold(sku_a) == 1
    assert not ShopOrder.objects.get(pk=placed.pk).sale_held


def test_a_refund_on_a_held_order_waits_with_its_sale(completed_fake, operator):
    from villagemarket.core.money import Money

    # given: the buyer gets ¥5 back on the held order
    refund = orders.request_refund(
        buyer=completed_fake.buyer,
        order_id=completed_fake.pk,
        amount=Money(500, "CNY"),
        reason="damaged",
        kind="money_only",
        detail="裂了",
    )
    orders.approve_refund(shop=completed_fake.shop, refund_id=refund.pk)
    assert ShopOrder.objects.get(pk=completed_fake.pk).refunded_minor == 500
    assert not ShopDailySales.objects.filter(shop=completed_fake.shop).exists()
    # when: cleared, the sale and its refund are both counted
    services.decide(operator=operator, confirm=False, note="genuine", order_id=completed_fake.pk)
    rows = ShopDailySales.objects.filter(shop=completed_fake.shop)
    assert sum(r.sales_minor for r in rows) == completed_fake.total_minor
    assert sum(r.refunds_minor for r in rows) == 500
