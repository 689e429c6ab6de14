"""Region names carry pinyin on English pages (丁楼村 Dinglou Cun), computed once and stored."""

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from villagemarket.regions.models import Region
from villagemarket.regions.rules import latin_name


@pytest.mark.parametrize(
    ("short", "latin"),
    [
        ("丁楼村", "Dinglou Cun"),
        ("大集镇", "Daji Zhen"),
        ("曹县", "Cao Xian"),
        ("菏泽市", "Heze Shi"),
        ("山东省", "Shandong Sheng"),
        ("曹城街道", "Caocheng Jiedao"),
        ("大集社区", "Daji Shequ"),
        ("内蒙古自治区", "Neimenggu Zizhiqu"),
        ("西安市", "Xi'an Shi"),  # apostrophe where syllables would run together
        ("吕庄村", "Lüzhuang Cun"),  # ü, as people read it
        ("长沙市", "Changsha Shi"),  # a polyphone read by its phrase
        ("北京市辖区", "Beijing Shi Xiaqu"),
        ("陕西省", "Shaanxi Sheng"),  # not 山西省 Shanxi: the official spelling tells them apart
        ("山西省", "Shanxi Sheng"),
    ],
)
def test_latin_names_follow_the_place_name_convention(short, latin):
    assert latin_name(short) == latin


@given(st.text(alphabet="丁楼胡大集曹县镇村乡市区社长重安西", min_size=1, max_size=12))
def test_every_han_name_gets_a_capitalised_ascii_like_name(name):
    latin = latin_name(name)
    assert latin and latin[0].isupper()
    assert all(c.isascii() or c == "ü" for c in latin)


def test_loading_and_importing_store_the_pinyin_name(loaded):
    assert Region.objects.get(code="371721121227").name_latin == "Dinglou Cun"
    assert Region.objects.get(code="371721").name_latin == "Cao Xian"


def test_display_name_depends_on_the_page_language(loaded):
    dinglou = Region.objects.get(code="371721121227")
    with translation.override("en"):
        assert dinglou.display_name == "丁楼村 Dinglou Cun" == str(dinglou)
    with translation.override("zh-hans"):
        assert dinglou.display_name == "丁楼村"


def test_english_region_pages_show_pinyin_and_chinese_ones_do_not(client, loaded):
    url = reverse("regions:detail", args=["371721121227"])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "丁楼村 Dinglou Cun" in english and "Daji Zhen" in english  # title and breadcrumb
    client.cookies["django_language"] = "zh-hans"
    with translation.override("zh-hans"):
        chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "丁楼村" in chinese and "Dinglou" not in chinese


def test_the_picker_lists_pinyin_without_a_query_per_option(
    client, loaded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        html = client.get(
            reverse("regions:picker"), {"code": "371721121", "max_level": 5}
        ).content.decode()
    assert "Hulou Cun" in html
