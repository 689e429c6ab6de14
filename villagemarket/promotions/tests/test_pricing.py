"""The pure pricing: examples a seller would check by hand, then properties over random carts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from villagemarket.core.money import Money
from villagemarket.promotions.pricing import (
    CartLine,
    CouponOffer,
    SalePriceOffer,
    SpendSaveOffer,
    quote,
    refund_share,
)
from villagemarket.promotions.rules import PLATFORM, SHOP, Tier


def yuan(n) -> Money:
    return Money(int(n * 100))


SHOP_TIERS = (Tier(10000, 1000), Tier(20000, 2500))  # 满100减10, 满200减25
EVERY_300 = (Tier(30000, 5000),)  # every full ¥300 saves ¥50


def test_shop_spend_save_takes_the_highest_tier_reached():
    offer = SpendSaveOffer(1, SHOP, SHOP_TIERS, shop_id=1)
    assert quote([CartLine(1, 1, yuan(99), 1)], spend_saves=[offer]).discount_total == yuan(0)
    assert quote([CartLine(1, 1, yuan(150), 1)], spend_saves=[offer]).discount_total == yuan(10)
    assert quote([CartLine(1, 1, yuan(100), 2)], spend_saves=[offer]).discount_total == yuan(25)


def test_cross_shop_every_full_300_saves_50_and_each_shop_gets_its_share():
    # given ¥200 from one shop and ¥250 from another: one full ¥300
    lines = [CartLine(1, 1, yuan(200), 1), CartLine(2, 2, yuan(250), 1)]
    offer = SpendSaveOffer(7, PLATFORM, EVERY_300, every=True)
    # when
    result = quote(lines, spend_saves=[offer])
    # then ¥50 split 200:250 between the shops, funded by the platform
    assert result.discount_total == yuan(50)
    assert [s.discount for s in result.shops] == [Money(2222), Money(2778)]
    assert result.funded_by(PLATFORM) == yuan(50)
    assert quote(
        lines * 1 + [CartLine(3, 2, yuan(150), 1)], spend_saves=[offer]
    ).discount_total == yuan(100)


def test_cross_shop_spend_save_counts_only_participating_shops():
    lines = [CartLine(1, 1, yuan(200), 1), CartLine(2, 2, yuan(250), 1)]
    offer = SpendSaveOffer(7, PLATFORM, EVERY_300, every=True, shop_ids=frozenset({2}))
    assert quote(lines, spend_saves=[offer]).discount_total == yuan(0)


def test_the_best_coupon_of_a_shop_is_chosen_and_one_per_shop_order():
    lines = [CartLine(1, 1, yuan(120), 1)]
    coupons = [
        CouponOffer(11, 1, SHOP, yuan(5), yuan(100), shop_id=1),
        CouponOffer(12, 2, SHOP, yuan(15), yuan(110), shop_id=1),
        CouponOffer(13, 3, SHOP, yuan(30), yuan(200), shop_id=1),  # threshold not reached
    ]
    result = quote(lines, coupons=coupons)
    assert [(s.claim_id, s.amount) for s in result.savings] == [(12, yuan(15))]


def test_sale_priced_goods_stay_out_of_the_shops_spend_save_but_take_coupons():
    lines = [CartLine(1, 1, yuan(120), 1)]
    sale = SalePriceOffer(5, 1, yuan(110))
    offer = SpendSaveOffer(1, SHOP, SHOP_TIERS, shop_id=1)
    coupon = CouponOffer(11, 1, SHOP, yuan(10), yuan(100), shop_id=1)
    result = quote(lines, [sale], [offer], [coupon])
    assert [s.kind for s in result.savings] == ["sale_price", "shop_coupon"]
    assert result.total == yuan(100)


def test_sale_price_covers_only_the_units_left():
    result = quote([CartLine(1, 1, yuan(50), 3)], [SalePriceOffer(5, 1, yuan(40), units_left=2)])
    assert result.total == yuan(40 * 2 + 50)


def test_a_budget_caps_the_saving():
    offer = SpendSaveOffer(1, SHOP, SHOP_TIERS, shop_id=1, budget_left=Money(300))
    assert quote([CartLine(1, 1, yuan(150), 1)], spend_saves=[offer]).discount_total == Money(300)


def test_leftover_fen_go_to_the_largest_remainder_then_larger_line_then_smaller_sku():
    # ¥0.10 over three equal lines: 4, 3, 3 — the extra fen to the smallest SKU id
    lines = [CartLine(sku, 1, Money(100), 1) for sku in (9, 3, 5)]
    coupon = CouponOffer(1, 1, PLATFORM, Money(10), Money(200))
    shares = {line.sku_id: line.discount.minor for line in quote(lines, coupons=[coupon]).lines}
    assert shares == {3: 4, 5: 3, 9: 3}


def test_refund_of_one_unit_returns_its_exact_share():
    lines = [CartLine(1, 1, yuan(100), 3)]
    coupon = CouponOffer(1, 1, SHOP, yuan(10), yuan(200), shop_id=1)
    line = quote(lines, coupons=[coupon]).lines[0]
    first = refund_share(line, 1)
    assert first.amount == Money(9666)  # ¥290 paid for 3: 96.66, 96.67, 96.67
    assert first.shares[0].amount == Money(333)
    assert first.list_amount == yuan(99.99)
    rest = refund_share(line, 2, already_refunded=1)
    assert first.amount + rest.amount == line.paid


# --- properties -----------------------------------------------------------------------------

sku_ids = st.integers(min_value=1, max_value=40)
shop_ids = st.integers(min_value=1, max_value=4)


@st.composite
def carts(draw, min_size=1):
    skus = draw(st.lists(sku_ids, min_size=min_size, max_size=8, unique=True))
    return [
        CartLine(
            sku,
            draw(shop_ids),
            Money(draw(st.integers(min_value=1, max_value=60_000))),
            draw(st.integers(min_value=1, max_value=5)),
        )
        for sku in skus
    ]


@st.composite
def tiers(draw):
    count = draw(st.integers(min_value=1, max_value=3))
    thresholds = sorted(
        draw(st.lists(st.integers(1000, 80_000), min_size=count, max_size=count, unique=True))
    )
    saves = sorted(draw(st.lists(st.integers(1, 999), min_size=count, max_size=count, unique=True)))
    return tuple(Tier(t, s) for t, s in zip(thresholds, saves, strict=True))


@st.composite
def promotions(draw):
    sales = [
        SalePriceOffer(
            n,
            draw(sku_ids),
            Money(draw(st.integers(1, 50_000))),
            draw(st.none() | st.integers(0, 4)),
        )
        for n in range(draw(st.integers(0, 3)))
    ]
    offers = [
        SpendSaveOffer(
            n,
            SHOP,
            draw(tiers()),
            shop_id=draw(shop_ids),
            budget_left=draw(st.none() | st.builds(Money, st.integers(0, 3000))),
        )
        for n in range(draw(st.integers(0, 3)))
    ]
    if draw(st.booleans()):
        every = draw(st.booleans())
        offers.append(
            SpendSaveOffer(
                99,
                PLATFORM,
                (draw(tiers())[0],) if every else draw(tiers()),
                every=every,
                shop_ids=draw(st.none() | st.frozensets(shop_ids, min_size=1)),
                max_save=draw(st.none() | st.builds(Money, st.integers(1, 5000))),
            )
        )
    coupons = [
        CouponOffer(
            n,
            n,
            draw(st.sampled_from([SHOP, PLATFORM])),
            Money(draw(st.integers(1, 9000))),
            Money(draw(st.integers(9001, 90_000))),
            shop_id=draw(shop_ids),
        )
        for n in range(1, draw(st.integers(1, 5)))
    ]
    coupons = [
        c
        if c.funder == SHOP
        else CouponOffer(c.claim_id, c.coupon_id, PLATFORM, c.amount, c.threshold)
        for c in coupons
    ]
    return sales, offers, coupons


@given(carts(), promotions())
def test_allocations_sum_exactly_and_no_line_goes_below_zero(cart, promos):
    result = quote(cart, *promos)
    for saving in result.savings:
        allocated = sum(
            s.amount.minor for line in result.lines for s in line.shares if s.key == saving.key
        )
        assert allocated == saving.amount.minor > 0
    for line in result.lines:
        assert line.paid.minor >= 0
        assert line.list_amount - sum((s.amount for s in line.shares), Money(0)) == line.paid
    assert result.list_total - result.discount_total == result.total
    assert sum(s.paid.minor for s in result.shops) == result.total.minor
    assert result.funded_by(SHOP) + result.funded_by(PLATFORM) == result.discount_total


@given(carts(), promotions(), st.data())
def test_adding_an_item_never_lowers_the_saving_nor_raises_the_rest_of_the_bill(cart, promos, data):
    extra_sku = data.draw(sku_ids.filter(lambda s: s not in {line.sku_id for line in cart}))
    extra = CartLine(
        extra_sku,
        data.draw(shop_ids),
        Money(data.draw(st.integers(1, 60_000))),
        data.draw(st.integers(1, 5)),
    )
    before, after = quote(cart, *promos), quote([*cart, extra], *promos)
    assert after.discount_total >= before.discount_total
    assert after.total <= before.total + extra.unit_price * extra.quantity


@given(carts(), promotions(), st.data())
def test_one_more_unit_of_a_line_never_lowers_the_saving(cart, promos, data):
    index = data.draw(st.integers(0, len(cart) - 1))
    line = cart[index]
    bigger = [
        *cart[:index],
        CartLine(line.sku_id, line.shop_id, line.unit_price, line.quantity + 1),
        *cart[index + 1 :],
    ]
    before, after = quote(cart, *promos), quote(bigger, *promos)
    assert after.discount_total >= before.discount_total
    assert after.total <= before.total + line.unit_price


@given(carts(), promotions(), st.data())
def test_refunding_every_unit_of_every_line_returns_exactly_what_was_paid(cart, promos, data):
    result = quote(cart, *promos)
    returned, by_key = 0, {}
    for line in result.lines:
        done = 0
        while done < line.quantity:
            units = data.draw(st.integers(1, line.quantity - done))
            share = refund_share(line, units, already_refunded=done)
            assert share.amount.minor >= 0
            returned += share.amount.minor
            for s in share.shares:
                by_key[s.key] = by_key.get(s.key, 0) + s.amount.minor
            done += units
    assert returned == result.total.minor
    assert by_key == {s.key: s.amount.minor for s in result.savings}


@given(carts(), promotions(), st.randoms(use_true_random=False))
def test_same_input_same_quote_whatever_the_order(cart, promos, rnd):
    sales, offers, coupons = promos
    shuffled = [list(x) for x in (cart, sales, offers, coupons)]
    for items in shuffled:
        rnd.shuffle(items)
    assert quote(cart, sales, offers, coupons) == quote(*shuffled)
