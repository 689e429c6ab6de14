"""orders.pricing: one computation of a checkout's amounts (no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from villagemarket.core.money import Money
from villagemarket.orders.pricing import PricedLine, price_checkout


def yuan(minor: int) -> Money:
    return Money(minor, "CNY")


def line(sku_id, shop_id, price, quantity, weight=0):
    return PricedLine(
        sku_id=sku_id,
        shop_id=shop_id,
        unit_price=yuan(price),
        quantity=quantity,
        weight_grams=weight,
    )


def test_goods_are_grouped_per_shop_and_freight_added_per_parcel():
    def freight(shop_id, quantity, weight, goods):
        return yuan(800 + 200 * (quantity - 1)) if shop_id == 1 else yuan(0)

    amounts = price_checkout([line(5, 2, 25000, 1), line(3, 1, 9900, 3)], freight)

    assert [s.shop_id for s in amounts.shops] == [1, 2]
    first, second = amounts.shops
    assert (first.goods, first.freight, first.total) == (yuan(29700), yuan(1200), yuan(30900))
    assert (second.goods, second.freight) == (yuan(25000), yuan(0))
    assert amounts.total == yuan(29700 + 1200 + 25000)
    assert amounts.all_deliver


def test_a_shop_that_does_not_deliver_is_named_and_adds_no_freight():
    amounts = price_checkout(
        [line(1, 1, 100, 1), line(2, 2, 300, 2)],
        lambda shop, q, w, g: None if shop == 2 else yuan(50),
    )

    assert amounts.undelivered == [2] and not amounts.all_deliver
    assert amounts.for_shop(2).total is None
    assert amounts.total == yuan(100 + 50 + 600)


def test_without_an_address_freight_is_unknown_and_the_total_is_the_goods():
    amounts = price_checkout([line(1, 1, 100, 2)], None)

    assert amounts.for_shop(1).freight is None
    assert amounts.total == yuan(200)
    assert not amounts.all_deliver


def test_the_parcel_freight_sees_its_quantity_weight_and_goods():
    seen = []

    def freight(shop_id, quantity, weight, goods):
        seen.append((shop_id, quantity, weight, goods))
        return yuan(0)

    price_checkout([line(1, 7, 100, 2, weight=300), line(2, 7, 50, 1, weight=1000)], freight)

    assert seen == [(7, 3, 1600, yuan(250))]


@given(
    st.lists(
        st.tuples(
            st.integers(1, 5), st.integers(1, 10**8), st.integers(1, 999), st.integers(0, 5000)
        ),
        min_size=1,
        max_size=12,
    )
)
def test_the_total_is_always_the_sum_of_each_shops_goods_and_freight(rows):
    lines = [line(i, shop, price, qty) for i, (shop, price, qty, _f) in enumerate(rows)]
    freights = {shop: yuan(f) for shop, _p, _q, f in rows}

    amounts = price_checkout(lines, lambda shop, q, w, g: freights[shop])

    assert amounts.goods.minor == sum(p * q for _s, p, q, _f in rows)
    assert amounts.total == sum((s.goods + s.freight for s in amounts.shops), yuan(0))
