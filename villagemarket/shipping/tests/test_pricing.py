"""Freight computation: examples and properties (hypothesis), no database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from villagemarket.core.money import Money
from villagemarket.shipping.pricing import (
    BY_PIECE,
    BY_WEIGHT,
    NOT_DELIVERED,
    Rule,
    Template,
    compute_freight,
)

HEBEI = "13"
SHANDONG = "37"
TIBET = "54"


def template(basis=BY_PIECE, free_above=None):
    return Template(
        basis=basis,
        rules=(
            Rule(first_minor=1000, additional_minor=500, free_above_minor=free_above),
            Rule(first_minor=600, additional_minor=100, provinces=frozenset({SHANDONG})),
        ),
        excluded_provinces=frozenset({TIBET}),
    )


def freight(t, province, quantity=1, grams=500, goods=1000):
    return compute_freight(t, province, quantity=quantity, weight_grams=grams, goods=Money(goods))


def test_province_rule_wins_over_the_default_rule():
    assert freight(template(), SHANDONG, quantity=3) == Money(600 + 2 * 100)
    assert freight(template(), HEBEI, quantity=3) == Money(1000 + 2 * 500)


def test_a_village_code_is_priced_by_its_province():
    assert freight(template(), "371721121227") == Money(600)


def test_excluded_province_is_not_delivered():
    assert freight(template(), TIBET) is NOT_DELIVERED
    assert not NOT_DELIVERED


def test_no_default_rule_means_only_listed_provinces_are_delivered():
    only_shandong = Template(
        basis=BY_PIECE, rules=(Rule(600, 100, provinces=frozenset({SHANDONG})),)
    )
    assert freight(only_shandong, HEBEI) is NOT_DELIVERED


def test_no_template_ships_free():
    assert freight(None, HEBEI, quantity=9) == Money(0)


def test_by_weight_charges_each_started_kilogram():
    assert freight(template(BY_WEIGHT), HEBEI, grams=1000) == Money(1000)
    assert freight(template(BY_WEIGHT), HEBEI, grams=1001) == Money(1500)
    assert freight(template(BY_WEIGHT), HEBEI, grams=1) == Money(1000)


def test_free_from_the_threshold_amount_inclusive():
    assert freight(template(free_above=9900), HEBEI, goods=9899) == Money(1000)
    assert freight(template(free_above=9900), HEBEI, goods=9900) == Money(0)


rules = st.builds(
    Rule,
    first_minor=st.integers(0, 10**6),
    additional_minor=st.integers(0, 10**6),
    free_above_minor=st.none() | st.integers(0, 10**8),
    provinces=st.frozensets(st.sampled_from([HEBEI, SHANDONG, TIBET]), max_size=2),
)
templates = st.builds(
    Template,
    basis=st.sampled_from([BY_PIECE, BY_WEIGHT]),
    rules=st.lists(rules, max_size=4).map(tuple),
    excluded_provinces=st.frozensets(st.sampled_from([HEBEI, SHANDONG, TIBET]), max_size=1),
)
provinces = st.sampled_from([HEBEI, SHANDONG, TIBET])


@given(templates, provinces, st.integers(1, 999), st.integers(1, 10**6), st.integers(1, 10**8))
def test_freight_is_never_negative(t, province, quantity, grams, goods):
    result = freight(t, province, quantity, grams, goods)
    assert result is NOT_DELIVERED or result.minor >= 0


@given(
    templates,
    provinces,
    st.integers(1, 998),
    st.integers(1, 998),
    st.integers(1, 10**6),
    st.integers(1, 10**8),
)
def test_freight_does_not_fall_when_more_is_bought(t, province, q1, q2, grams, goods):
    low, high = sorted((q1, q2))
    a = freight(t, province, low, grams * low, goods)
    b = freight(t, province, high, grams * high, goods)
    assert (a is NOT_DELIVERED) == (b is NOT_DELIVERED)
    if a is not NOT_DELIVERED:
        assert a <= b


@given(templates, provinces, st.integers(1, 999), st.integers(1, 10**6), st.integers(0, 10**8))
def test_at_or_above_the_threshold_freight_is_zero(t, province, quantity, grams, extra):
    result = freight(t, province, quantity, grams, 1)
    if result is NOT_DELIVERED:
        return
    from villagemarket.shipping.pricing import rule_for

    rule = rule_for(t, province)
    if rule.free_above_minor is not None:
        assert freight(
            t, province, quantity, grams, max(1, rule.free_above_minor + extra)
        ) == Money(0)


@given(templates, st.integers(1, 999), st.integers(1, 10**6), st.integers(1, 10**8))
def test_excluded_provinces_are_never_delivered(t, quantity, grams, goods):
    for province in t.excluded_provinces:
        assert freight(t, province, quantity, grams, goods) is NOT_DELIVERED


def test_the_free_threshold_is_compared_in_the_templates_currency():
    import pytest

    from villagemarket.core.money import CurrencyMismatch

    # ¥99.00 threshold: 9,900 US cents are not 9,900 fen, so the comparison refuses to guess
    with pytest.raises(CurrencyMismatch):
        compute_freight(
            template(free_above=9900), HEBEI, quantity=1, weight_grams=500, goods=Money(9900, "USD")
        )
    assert freight(template(free_above=9900), HEBEI, goods=9900) == Money(0, "CNY")
