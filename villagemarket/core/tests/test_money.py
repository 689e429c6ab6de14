from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from villagemarket.core.money import CurrencyMismatch, Money


def test_parse_exact_amounts():
    assert Money.parse("12.30") == Money(1230)
    assert Money.parse("0") == Money(0)
    with pytest.raises(ValueError, match="more decimals"):
        Money.parse("1.005")
    with pytest.raises(TypeError):
        Money.parse(1.5)


def test_mixing_currencies_raises():
    with pytest.raises(CurrencyMismatch):
        Money(100, "CNY") + Money(100, "USD")


def test_format_shows_symbol_and_two_decimals():
    assert Money(123456).format() == "¥1,234.56"


@given(
    st.integers(min_value=0, max_value=10**12),
    st.lists(st.integers(0, 1000), min_size=1, max_size=8),
)
def test_allocate_parts_always_sum_to_whole(minor, weights):
    if sum(weights) == 0:
        return
    parts = Money(minor).allocate(weights)
    assert sum(p.minor for p in parts) == minor
    assert all(p.minor >= 0 for p in parts)


def test_rate_rounds_half_up():
    assert Money(1001).rate(500) == Money(50)  # 50.05 -> 50
    assert Money(1010).rate(500) == Money(51)  # 50.5 -> 51


@pytest.mark.parametrize(
    "text",
    ["1e999990", "1e999999", "1E5", "9" * 31, "١٢٣", "１２", "12.3.4", "NaN", "Infinity", "", "-"],
)
def test_parse_refuses_exponents_long_text_and_non_ascii_digits_at_once(text):
    # given text that Decimal would accept (or chew on for a minute) but a price never is
    # when / then: a ValueError, before any Decimal arithmetic
    with pytest.raises(ValueError):
        Money.parse(text)


def test_parse_keeps_the_ordinary_forms_of_an_amount():
    assert Money.parse(" 1,234.50 ") == Money(123450)
    assert Money.parse("-3") == Money(-300)
    assert Money.parse(".5") == Money(50)
    assert Money.parse(Decimal("12.30")) == Money(1230)
    assert Money.parse(7) == Money(700)


def test_parse_refuses_amounts_beyond_a_bigint():
    with pytest.raises(ValueError, match="too large"):
        Money.parse("99999999999999999999")
    with pytest.raises(ValueError):
        Money.parse(Decimal("1e999999"))
