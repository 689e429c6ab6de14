"""Pure rules of pickups, without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from villagemarket.logistics.rules import masked_phone, may_run_pickups, number_range


def test_a_range_counts_up_keeping_the_width():
    assert number_range("ZT0099", 3) == ["ZT0099", "ZT0100", "ZT0101"]


@pytest.mark.parametrize(("start", "count"), [("ZT99", 2), ("SF", 1), ("123", 0), ("1", 501)])
def test_impossible_ranges_are_refused(start, count):
    with pytest.raises(ValueError):
        number_range(start, count)


@given(
    prefix=st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ", max_size=3),
    first=st.integers(min_value=0, max_value=10**8),
    count=st.integers(min_value=1, max_value=500),
)
def test_a_range_is_consecutive_distinct_and_of_one_width(prefix, first, count):
    start = f"{prefix}{first:012d}"
    numbers = number_range(start, count)
    assert len(set(numbers)) == count and numbers[0] == start
    assert {len(n) for n in numbers} == {len(start)}
    assert [int(n[len(prefix) :]) for n in numbers] == list(range(first, first + count))


def test_phones_on_labels_hide_the_middle_digits():
    assert masked_phone("13912345678") == "139****5678"
    assert masked_phone(" 13912345678 ") == "139****5678"
    assert masked_phone("12345") == "12***"


def test_service_points_and_cooperatives_run_pickups():
    assert may_run_pickups("service_point") and may_run_pickups("cooperative")
    assert not may_run_pickups("household") and not may_run_pickups("factory")
