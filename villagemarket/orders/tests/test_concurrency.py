"""Rushes on PostgreSQL with real threads released together by a barrier.

SQLite serialises writers, so a green run there proves nothing: these tests skip on SQLite.
`test_the_rush_test_catches_a_read_check_write_reservation` swaps the guarded reservation for a
naive one and shows the same rush then oversells, so the assertions here can fail.
"""

from __future__ import annotations

import threading
from collections import Counter
from unittest import mock

import pytest
from django.db import connection

from villagemarket.catalog import stock
from villagemarket.catalog.models import SKU
from villagemarket.core.errors import OutOfStock
from villagemarket.orders import services
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.tests.factories import age_orders, due_for_auto_complete, shipped_order
from villagemarket.testing import make_product, make_user

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
ROUNDS = 10


def rush(calls):
    """Run each call in its own thread, all released at once; return ('ok'|code|'error:...', value)
    per call."""
    barrier = threading.Barrier(len(calls), timeout=30)
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except OutOfStock as exc:
            results[index] = ("out_of_stock", exc)
        except Exception as exc:  # anything else is a bug the test must show
            results[index] = (f"error:{type(exc).__name__}:{exc}", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread hung (deadlock?)"
    return results


@pytest.fixture
def buyers(village):
    people = []
    for n in range(40):
        user = make_user(f"rush{n}@example.com")
        address = services.save_address(
            user=user,
            region_code="371721121",
            detail="丁楼村",
            recipient="买家",
            mobile="13900000000",
        )
        people.append((user, address))
    return people


def buy(user, address, *items):
    return lambda: services.place_order(buyer=user, address_id=address.pk, items=list(items))


def test_forty_buyers_rush_ten_units_exactly_ten_orders(buyers, shop_a):
    for _round in range(ROUNDS):
        sku = make_product(shop_a, stock=10).skus.get()
        outcomes = Counter(kind for kind, _v in rush([buy(u, a, (sku.pk, 1)) for u, a in buyers]))
        assert outcomes == {"ok": 10, "out_of_stock": 30}
        assert SKU.objects.get(pk=sku.pk).stock == 0
        assert ShopOrder.objects.filter(lines__sku=sku).count() == 10


def test_multi_shop_carts_in_opposite_order_neither_deadlock_nor_oversell(buyers, shop_a, shop_b):
    for _round in range(ROUNDS):
        sku_a = make_product(shop_a, stock=10).skus.get()
        sku_b = make_product(shop_b, stock=10).skus.get()
        calls = [
            buy(u, a, (sku_a.pk, 1), (sku_b.pk, 1))
            if n % 2
            else buy(u, a, (sku_b.pk, 1), (sku_a.pk, 1))
            for n, (u, a) in enumerate(buyers)
        ]
        outcomes = Counter(kind for kind, _v in rush(calls))
        assert outcomes == {"ok": 10, "out_of_stock": 30}
        assert (SKU.objects.get(pk=sku_a.pk).stock, SKU.objects.get(pk=sku_b.pk).stock) == (0, 0)


def test_a_cart_with_two_lines_of_one_sku_reserves_them_together(buyers, shop_a):
    for _round in range(ROUNDS):
        sku = make_product(shop_a, stock=10).skus.get()
        outcomes = Counter(
            kind for kind, _v in rush([buy(u, a, (sku.pk, 1), (sku.pk, 1)) for u, a in buyers])
        )
        assert outcomes == {"ok": 5, "out_of_stock": 35}
        assert SKU.objects.get(pk=sku.pk).stock == 0


def naive_reserve(barrier):
    """Read-check-write, the bug the guarded UPDATE prevents: all read before anyone writes."""

    def reserve(quantities):
        seen = {pk: SKU.objects.get(pk=pk).stock for pk in sorted(quantities)}
        barrier.wait()
        short = {pk: left for pk, left in seen.items() if left < quantities[pk]}
        for pk in sorted(quantities):
            if pk not in short:
                SKU.objects.filter(pk=pk).update(stock=seen[pk] - quantities[pk])
        return short

    return reserve


def test_the_rush_test_catches_a_read_check_write_reservation(buyers, shop_a):
    sku = make_product(shop_a, stock=10).skus.get()
    with mock.patch.object(stock, "reserve", naive_reserve(threading.Barrier(40, timeout=30))):
        outcomes = Counter(kind for kind, _v in rush([buy(u, a, (sku.pk, 1)) for u, a in buyers]))
    # Without the guard every buyer "gets" the tenth-last unit: far more than 10 orders.
    assert outcomes["ok"] > 10, outcomes
    assert ShopOrder.objects.filter(lines__sku=sku).count() > 10


def test_the_same_checkout_sent_eight_times_at_once_makes_one_set_of_orders(buyers, shop_a, shop_b):
    user, address = buyers[0]
    sku_a = make_product(shop_a, stock=10).skus.get()
    sku_b = make_product(shop_b, stock=10).skus.get()
    call = lambda: services.place_order(  # noqa: E731
        buyer=user,
        address_id=address.pk,
        items=[(sku_a.pk, 2), (sku_b.pk, 1)],
        form_token="form:retry-1",
    )
    results = rush([call] * 8)
    assert {kind for kind, _v in results} == {"ok"}
    assert len({v.payment.pk for _k, v in results}) == 1
    assert sum(not v.replayed for _k, v in results) == 1
    assert ShopOrder.objects.count() == 2
    assert (SKU.objects.get(pk=sku_a.pk).stock, SKU.objects.get(pk=sku_b.pk).stock) == (8, 9)


def test_two_timeout_sweeps_at_once_close_and_restock_each_order_once(buyers, shop_a):
    sku = make_product(shop_a, stock=100).skus.get()
    for user, address in buyers[:30]:
        services.place_order(buyer=user, address_id=address.pk, items=[(sku.pk, 2)])
    age_orders(minutes=60)
    results = rush([services.close_unpaid_orders, services.close_unpaid_orders])
    assert sum(v for _k, v in results) == 30
    assert SKU.objects.get(pk=sku.pk).stock == 100
    assert ShopOrder.objects.filter(status="closed").count() == 30


def test_two_auto_complete_sweeps_at_once_record_each_sale_once(buyers, shop_a):
    sku = make_product(shop_a, stock=100).skus.get()
    for user, address in buyers[:20]:
        shipped_order(user, address, sku)
    due_for_auto_complete()
    with mock.patch("villagemarket.observatory.services.record_sale") as record_sale:
        results = rush([services.auto_complete_orders, services.auto_complete_orders])
    assert sum(v for _k, v in results) == 20
    assert record_sale.call_count == 20
    assert len({c.kwargs["ref"] for c in record_sale.call_args_list}) == 20


def test_guarded_release_and_reserve_keep_stock_exact(shop_a):
    sku = make_product(shop_a, stock=50).skus.get()
    calls = [lambda: stock.reserve({sku.pk: 1}) for _ in range(20)] + [
        lambda: stock.release({sku.pk: 1})
    ] * 20
    rush(calls)
    assert SKU.objects.get(pk=sku.pk).stock == 50
