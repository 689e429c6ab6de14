"""Shop and household names: NUL, control characters and invisible-only text are refused by name
(the same for pages, which go through the services, and the API)."""

import pytest
from django.urls import reverse

from villagemarket.core.errors import Invalid
from villagemarket.shops import services
from villagemarket.shops.models import Household, Shop
from villagemarket.testing import client_for, make_shop

INVISIBLE = ["   ", "\u200b", "\u3000\u200b", "\u2800", "\ufeff\u200d", "\u115f"]
CONTROL = ["丁楼\x00演出服", "丁楼\x07", "a\x1bb", "a\x7f"]


def open_data(**overrides):
    data = {
        "name": "胡楼羽绒",
        "slug": "hulou-down",
        "kind": "household",
        "village": "371721121206",
        "ship_from_address": "胡楼村",
        "phone": "13800000002",
        "description": "",
    }
    return {**data, **overrides}


@pytest.mark.parametrize("name", INVISIBLE + CONTROL)
def test_a_shop_name_must_be_visible_text(buyer, village, name):
    with pytest.raises(Invalid) as caught:
        services.open_shop(buyer, **open_data(name=name))
    assert "name" in caught.value.fields
    assert not Shop.objects.exists()


@pytest.mark.parametrize("field", ["name_en", "ship_from_address"])
def test_other_one_line_fields_refuse_invisible_and_control_text(buyer, village, field):
    for value in ["\u200b\u200b", "胡楼\x00"]:
        with pytest.raises(Invalid) as caught:
            services.open_shop(buyer, **open_data(**{field: value}))
        assert field in caught.value.fields


def test_a_description_keeps_its_lines_but_not_other_control_characters(buyer, village):
    shop = services.open_shop(buyer, **open_data(description="第一行\n第二行\t好"))
    assert shop.description == "第一行\n第二行\t好"
    with pytest.raises(Invalid) as caught:
        services.open_shop(buyer, **open_data(slug="other-one", description="好\x00"))
    assert "description" in caught.value.fields


def test_a_long_description_is_refused_not_cut(buyer, village):
    with pytest.raises(Invalid) as caught:
        services.open_shop(buyer, **open_data(description="好" * 5001))
    assert "description" in caught.value.fields


def test_the_open_page_names_the_invisible_field_and_opens_nothing(buyer, village):
    response = client_for(buyer).post(reverse("seller:open"), open_data(name="\u200b\u3000"))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not Shop.objects.exists()


def test_settings_refuse_an_invisible_name_and_keep_the_old_one(alice, shop_a):
    with pytest.raises(Invalid) as caught:
        services.update_shop(alice, shop_a, name="\u2800\u2800")
    assert "name" in caught.value.fields
    shop_a.refresh_from_db()
    assert shop_a.name == "Alice 演出服"


@pytest.mark.parametrize("name", ["\u200b", "丁\x00大娘", "\u3000"])
def test_a_household_name_must_be_visible_text(alice, village, name):
    station = make_shop(alice, village, name="站", slug="station", kind="service_point")
    with pytest.raises(Invalid) as caught:
        services.add_household(alice, station, name=name, village="371721121206")
    assert "name" in caught.value.fields
    assert not Household.objects.exists()
