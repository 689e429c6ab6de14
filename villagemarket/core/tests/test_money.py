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
