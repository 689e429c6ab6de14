"""The daily rollup that orders feed through record_sale / record_refund."""

import datetime
import functools

import pytest

from villagemarket.core.errors import Invalid
from villagemarket.observatory.models import ShopDailySales
from villagemarket.observatory.services import record_refund, record_sale
from villagemarket.testing.threads import run_together

DAY = datetime.date(2024, 11, 5)


def rollup(shop, day=DAY):
    return ShopDailySales.objects.get(shop=shop, day=day)


def test_a_completed_order_counts_once_however_often_it_is_reported(shop_a):
    assert record_sale(shop_id=shop_a.pk, ref="order:1", day=DAY, amount_minor=9900) is True
    assert record_sale(shop_id=shop_a.pk, ref="order:1", day=DAY, amount_minor=9900) is False
    record_sale(shop_id=shop_a.pk, ref="order:2", day=DAY, amount_minor=100)
    row = rollup(shop_a)
    assert (row.orders, row.sales_minor, row.refunds_minor) == (2, 10000, 0)


def test_a_refund_lowers_sales_on_the_day_it_happens_and_counts_once(shop_a):
    record_sale(shop_id=shop_a.pk, ref="order:1", day=DAY, amount_minor=9900)
    later = DAY + datetime.timedelta(days=40)
    assert record_refund(shop_id=shop_a.pk, ref="refund:1", day=later, amount_minor=2000) is True
    assert record_refund(shop_id=shop_a.pk, ref="refund:1", day=later, amount_minor=2000) is False
    assert rollup(shop_a).sales_minor == 9900
    row = rollup(shop_a, later)
    assert (row.orders, row.sales_minor, row.refunds_minor) == (0, 0, 2000)


def test_a_sale_and_a_refund_may_share_a_reference_number(shop_a):
    record_sale(shop_id=shop_a.pk, ref="order:7", day=DAY, amount_minor=500)
    assert record_refund(shop_id=shop_a.pk, ref="order:7", day=DAY, amount_minor=500) is True
    assert rollup(shop_a).refunds_minor == 500


def test_negative_amounts_are_refused_and_change_nothing(shop_a):
    with pytest.raises(Invalid):
        record_sale(shop_id=shop_a.pk, ref="order:1", day=DAY, amount_minor=-1)
    with pytest.raises(Invalid):
        record_refund(shop_id=shop_a.pk, ref="r", day=DAY, amount_minor=-1)
    assert not ShopDailySales.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_sales_on_one_day_all_count(shop_a):
    threads_n = 8

    def sell(n):
        return record_sale(shop_id=shop_a.pk, ref=f"order:{n}", day=DAY, amount_minor=100)

    outcomes = run_together(*[functools.partial(sell, n) for n in range(threads_n)])
    assert not [o for o in outcomes if isinstance(o, Exception)]
    row = rollup(shop_a)
    assert (row.orders, row.sales_minor) == (threads_n, threads_n * 100)
