"""Stock reservation and release (catalog.stock): guarded UPDATEs, all or report what is short."""

from __future__ import annotations

import pytest

from villagemarket.catalog import stock
from villagemarket.catalog.models import SKU
from villagemarket.testing import make_product
from villagemarket.testing.threads import run_together


def stock_of(*skus) -> list[int]:
    return [SKU.objects.get(pk=s.pk).stock for s in skus]


def test_reserving_what_is_there_takes_it(shop_a):
    first, second = (make_product(shop_a, stock=n).skus.get() for n in (5, 3))
    assert stock.reserve({first.pk: 2, second.pk: 3}) == {}
    assert stock_of(first, second) == [3, 0]


def test_a_short_sku_is_reported_with_what_is_left_and_not_taken(shop_a):
    plenty, short = (make_product(shop_a, stock=n).skus.get() for n in (5, 1))
    # the caller rolls back on a short answer; the short SKU itself is never taken below zero
    assert stock.reserve({plenty.pk: 2, short.pk: 4}) == {short.pk: 1}
    assert stock_of(short) == [1]


def test_a_missing_sku_is_short_with_nothing_left(shop_a):
    assert stock.reserve({987654: 1}) == {987654: 0}


def test_release_gives_units_back(shop_a):
    sku = make_product(shop_a, stock=5).skus.get()
    stock.reserve({sku.pk: 4})
    stock.release({sku.pk: 4})
    assert stock_of(sku) == [5]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_rush_of_reservations_and_releases_keeps_stock_exact(shop_a):
    # given 50 in stock, 30 reservations of 2 and 20 releases of 1 released together
    sku = make_product(shop_a, stock=50).skus.get()
    calls = [lambda: stock.reserve({sku.pk: 2})] * 30 + [lambda: stock.release({sku.pk: 1})] * 20
    answers = run_together(*calls)
    # then every unit is accounted for: 50 + 20 released - 2 per successful reservation
    assert not any(isinstance(a, Exception) for a in answers), answers
    taken = sum(1 for a in answers[:30] if a == {})
    assert stock_of(sku) == [50 + 20 - 2 * taken]
