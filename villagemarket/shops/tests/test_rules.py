"""Pure shop rules, no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from villagemarket.shops import rules


@pytest.mark.parametrize("slug", ["dinglou-costumes", "abc", "a1-b2", "shop2024"])
def test_good_web_addresses_are_accepted(slug):
    assert rules.slug_problem(slug) is None


@pytest.mark.parametrize(
    "slug", ["", "ab", "-abc", "abc-", "ABC", "丁楼", "a b", "a--b", "x" * 51, "open", "shipping"]
)
def test_bad_or_reserved_web_addresses_are_refused(slug):
    assert rules.slug_problem(slug)


@given(st.text(max_size=60))
def test_any_accepted_slug_is_url_safe(slug):
    if rules.slug_problem(slug) is None:
        assert slug.isascii() and slug == slug.lower() and " " not in slug and "/" not in slug


@pytest.mark.parametrize(
    "bp,ok", [(0, True), (500, True), (10_000, True), (-1, False), (10_001, False)]
)
def test_commission_is_between_zero_and_one_hundred_percent(bp, ok):
    assert (rules.commission_problem(bp) is None) is ok


def test_invitation_logins_are_normalised_and_checked():
    assert rules.normalize_login(" Carol@Example.COM ") == "carol@example.com"
    assert rules.normalize_login("138-0000 1111") == "13800001111"
    assert rules.login_problem("carol@example.com") is None
    assert rules.login_problem("13800001111") is None
    assert rules.login_problem("12345") is not None
    assert rules.login_problem("carol@") is not None


@pytest.mark.parametrize(
    "phone,ok", [("13800000000", True), ("0530-1234567", True), ("abc", False), ("", False)]
)
def test_phone_numbers(phone, ok):
    assert (rules.phone_problem(phone) is None) is ok


@pytest.mark.parametrize(
    "bp, shown", [(500, "5"), (250, "2.5"), (0, "0"), (1234, "12.34"), (5, "0.05")]
)
def test_commission_is_shown_exactly_as_a_percentage(bp, shown):
    # 250 basis points is 2.5%, not "3%" as a rounding template tag printed it.
    from villagemarket.shops.models import Shop

    assert Shop(commission_bp=bp).commission_percent == shown
