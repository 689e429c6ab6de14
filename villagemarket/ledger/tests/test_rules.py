"""The settlement split and commission precedence, without a database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from villagemarket.core.money import Money
from villagemarket.ledger import rules
from villagemarket.ledger.rules import SettlementLine, split_settlement

lines_strategy = st.lists(
    st.builds(
        SettlementLine,
        amount=st.integers(1, 10**12).map(Money),
        rate_bp=st.integers(0, 10_000),
        household_id=st.one_of(st.none(), st.integers(1, 5)),
    ),
    min_size=1,
    max_size=12,
)
freight_strategy = st.integers(0, 10**9).map(Money)


@given(lines_strategy, freight_strategy)
def test_the_split_always_adds_up_to_the_order_amount(lines, freight):
    split = split_settlement(lines, freight)

    gross = sum(line.amount.minor for line in lines) + freight.minor
    assert split.gross == Money(gross)
    assert split.total() == split.gross


@given(lines_strategy, freight_strategy, st.randoms())
def test_the_split_does_not_depend_on_the_order_of_the_lines(lines, freight, random):
    shuffled = list(lines)
    random.shuffle(shuffled)

    assert split_settlement(shuffled, freight) == split_settlement(lines, freight)


@given(lines_strategy, freight_strategy)
def test_commission_is_the_exact_rate_rounded_once_and_rounding_is_under_a_fen_per_household(
    lines, freight
):
    split = split_settlement(lines, freight)

    exact = sum(line.amount.minor * line.rate_bp for line in lines)
    assert abs(split.commission.minor * 10_000 - exact) <= 5_000
    households = {line.household_id for line in lines} | ({None} if freight.minor else set())
    assert abs(split.rounding.minor) <= len(households) // 2 + 1
    # No household earns less than nothing, nor more than it sold.
    for household, earned in split.payables.items():
        sold = sum(line.amount.minor for line in lines if line.household_id == household)
        sold += freight.minor if household is None else 0
        assert 0 <= earned.minor <= sold


@given(lines_strategy.map(lambda ls: [SettlementLine(x.amount, x.rate_bp, None) for x in ls]))
def test_a_shop_without_households_never_touches_the_rounding_account(lines):
    assert split_settlement(lines, Money(1000)).rounding == Money(0)


def test_a_worked_example_of_two_households():
    # given 10.01 at 5% for household 1 (50.05 fen) and 10.01 at 5% for household 2
    lines = [SettlementLine(Money(1001), 500, 1), SettlementLine(Money(1001), 500, 2)]

    split = split_settlement(lines, Money(600))

    # each household is charged 50.05 -> 50 fen; the order's commission 100.1 -> 100 fen
    assert split.payables == {None: Money(600), 1: Money(951), 2: Money(951)}
    assert split.commission == Money(100)
    assert split.rounding == Money(0)
    odd = split_settlement(
        [SettlementLine(Money(1010), 500, 1), SettlementLine(Money(1010), 500, 2)], Money(0)
    )
    # 50.5 -> 51 each (102), the order's 101 -> 101: one fen to the rounding account
    assert odd.commission == Money(101)
    assert odd.rounding == Money(1)
    assert odd.payables == {1: Money(959), 2: Money(959)}


def test_mixed_currencies_and_empty_amounts_are_refused():
    with pytest.raises(ValueError):
        split_settlement([SettlementLine(Money(100, "USD"), 500)], Money(0))
    with pytest.raises(ValueError):
        split_settlement([SettlementLine(Money(0), 500)], Money(0))


@pytest.mark.parametrize(
    ("category_bp", "shop_bp", "expected"),
    [
        (None, 500, 500),  # no category rate: the platform default
        (200, 500, 200),  # fresh produce at 2%: below the shop's ceiling
        (800, 500, 500),  # a dearer category is capped by the shop's rate
        (None, 0, 0),  # a relief household pays nothing
        (300, 100, 100),  # a negotiated rate beats the category's
    ],
)
def test_the_rate_is_the_category_rate_capped_by_the_shop_rate(category_bp, shop_bp, expected):
    assert rules.effective_rate_bp(category_bp, shop_bp) == expected


def test_unbalanced_currencies_are_named():
    assert rules.unbalanced_currencies([Money(5), -Money(5), Money(3, "USD")]) == ["USD"]
