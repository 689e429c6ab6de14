"""The courier list and the one tracking-number rule (issue 12 §8: tracking number patterns)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from villagemarket.shipping.couriers import (
    active_couriers,
    courier_by_code,
    courier_by_name,
    tracking_link,
    tracking_number_errors,
)
from villagemarket.shipping.models import Courier

pytestmark = pytest.mark.django_db

VALID = [
    ("SF", "SF1234567890123"),
    ("SF", "SF123456789012"),
    ("sf", "sf1234567890123"),  # codes and numbers are case-insensitive
    ("ZTO", "75123456789012"),
    ("ZTO", "731234567890"),
    ("YTO", "YT1234567890123"),
    ("STO", "773123456789012"),
    ("YD", "4312345678901"),
    ("JT", "JT1234567890123"),
    ("JD", "JDVA12345678901"),
    ("EMS", "EA123456789CN"),
    ("EMS", "1123456789012"),
    ("YZPY", "9812345678901"),
    ("DBL", "DPK123456789012"),
    ("OTHER", "ABC-123456"),
]
INVALID = [
    ("SF", "1234567890123"),  # SF numbers start with SF
    ("SF", "SF12345"),
    ("ZTO", "ZT1234567890"),  # ZTO numbers are digits only
    ("ZTO", "75123"),
    ("YTO", "YX1234567890123"),
    ("YD", "431234567890123456"),
    ("JT", "JT12345"),
    ("JD", "12345678901234"),
    ("EMS", "EA123456789"),
    ("YZPY", "8812345678901"),
    ("OTHER", "12"),
    ("SF", "SF123456 7890123"),  # no spaces inside
]


@pytest.mark.parametrize("code, number", VALID)
def test_real_tracking_numbers_fit_their_courier(code, number):
    assert tracking_number_errors(code, number) == {}


@pytest.mark.parametrize("code, number", INVALID)
def test_wrong_tracking_numbers_are_refused_naming_the_field(code, number):
    errors = tracking_number_errors(code, number)
    assert list(errors) == ["tracking_no"]


def test_the_error_names_the_courier_and_shows_an_example():
    [message] = tracking_number_errors("SF", "123")["tracking_no"]
    assert "顺丰速运" in message and "SF1234567890123" in message


@pytest.mark.parametrize("code", ["", "XX", "UPS", "S\x00F", "顺丰"])
def test_an_unknown_courier_is_refused_naming_the_courier(code):
    assert list(tracking_number_errors(code, "75123456789012")) == ["courier"]


def test_an_inactive_courier_is_not_offered_nor_accepted():
    Courier.objects.filter(code="DBL").update(is_active=False)
    assert "DBL" not in [c.code for c in active_couriers()]
    assert list(tracking_number_errors("DBL", "DPK123456789012")) == ["courier"]


def test_an_empty_number_is_its_own_error():
    assert tracking_number_errors("SF", "  ")["tracking_no"]


def test_china_s_common_couriers_are_seeded_and_each_example_fits_its_pattern():
    codes = {c.code for c in active_couriers()}
    assert {"SF", "ZTO", "YTO", "STO", "YD", "JD", "EMS", "YZPY"} <= codes
    for courier in Courier.objects.all():
        assert tracking_number_errors(courier.code, courier.example) == {}, courier.code
        assert courier.tracking_url.startswith("https://") and "{number}" in courier.tracking_url


def test_couriers_are_found_by_code_and_by_the_names_sellers_type():
    assert courier_by_code(" zto ").code == "ZTO"
    assert courier_by_code("OTHER") is None
    assert courier_by_name("顺丰").code == "SF"
    assert courier_by_name("中通快递").code == "ZTO"
    assert courier_by_name("sf express").code == "SF"
    assert courier_by_name("某某物流") is None


def test_the_tracking_link_puts_the_number_into_the_courier_s_page():
    sf = courier_by_code("SF")
    assert tracking_link(sf, "SF1234567890123").endswith("/SF1234567890123")
    assert "a%2Fb" in tracking_link(sf, "a/b")  # a number never changes the address's path
    assert tracking_link(None, "SF1234567890123") == ""


def test_operators_cannot_save_a_broken_pattern_or_tracking_page():
    courier = Courier(code="XX", name="某快递", tracking_pattern="(", tracking_url="http://x")
    with pytest.raises(ValidationError) as refused:
        courier.full_clean()
    assert {"tracking_pattern", "tracking_url"} <= set(refused.value.message_dict)


@pytest.mark.parametrize("who", ["anonymous", "buyer", "alice"])
def test_anyone_may_list_the_couriers(people, who):
    response = people[who].get("/api/v1/shipping/couriers")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 8 and body["items"][0]["code"] == "SF"
    assert {"code", "name", "tracking_pattern", "tracking_url", "example"} <= set(body["items"][0])
