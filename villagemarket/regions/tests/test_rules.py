"""The pure derivation rules, without a database."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from villagemarket.regions import rules
from villagemarket.regions.services import parse_levels


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("丁楼村民委员会", "丁楼村"),
        ("大集社区居民委员会", "大集社区"),
        ("多福巷社区居委会", "多福巷社区"),
        ("楼梓庄村委会", "楼梓庄村"),
        ("西太平村村民委员会", "西太平村"),
        ("沟口子村村民委会", "沟口子村"),
        ("南关居民委员会", "南关"),
        ("新月村委会（新月工业小区）（省级）", "新月村"),
        ("卜尔汉图嘎查", "卜尔汉图嘎查"),
        ("茂力格尔嘎查委会", "茂力格尔嘎查"),
        ("西铁营村", "西铁营村"),
    ],
)
def test_village_short_names_drop_the_committee_suffix(name, short):
    assert rules.village_short_name(name) == short


@pytest.mark.parametrize(
    ("name", "code", "rural"),
    [
        ("丁楼村民委员会", "371721121227", True),
        ("大集社区居民委员会", "371721121001", False),
        ("西留村居民委员会", "419001001002", False),  # a residents' committee named after a village
        ("东青社区居委会（含东青村村委）", "371721121240", False),
        ("卜尔汉图嘎查", "150000000201", True),
        ("大集生活区", "371721121300", True),  # neither word: code digits >= 200
        ("大集管理区", "371721121150", False),
    ],
)
def test_rural_or_urban_from_name_then_code(name, code, rural):
    assert rules.is_rural(name, code) is rural


@pytest.mark.parametrize(
    ("name", "code", "kind"),
    [
        ("曹城街道", "371721001", "subdistrict"),
        ("大集镇", "371721121", "town"),
        ("王集乡", "371721205", "township"),
        ("某某民族乡", "371721205", "township"),
        ("吉忽伦图苏木", "150000200", "township"),
        ("南磨房地区", "110105012", "subdistrict"),  # no suffix, digits < 100
        ("青菏", "371721130", "town"),
        ("曹县林场", "371721450", "other"),
    ],
)
def test_township_kind_from_suffix_then_code(name, code, kind):
    assert rules.township_kind(name, code) == kind


def test_statistics_only_units_are_county_codes_with_a_7_and_their_descendants():
    assert rules.is_statistical("371771")
    assert rules.is_statistical("371771001001")
    assert not rules.is_statistical("371721")
    assert not rules.is_statistical("3717")


def test_municipality_placeholder_prefectures_read_as_their_province():
    assert rules.prefecture_short_name("市辖区", "北京市") == "北京市辖区"
    assert rules.prefecture_short_name("县", "重庆市") == "重庆市辖县"
    assert rules.prefecture_short_name("省直辖县级行政区划", "河南省") == "河南省直辖县级单位"
    assert rules.prefecture_short_name("菏泽市", "山东省") == "菏泽市"


def test_derive_fills_parent_and_ancestor_codes():
    values = rules.derive("371721121227", "丁楼村民委员会")
    assert values["parent_id"] == "371721121"
    assert values["level"] == 5
    assert (values["province_code"], values["prefecture_code"]) == ("37", "3717")
    assert (values["county_code"], values["township_code"]) == ("371721", "371721121")
    assert values["name_pinyin"] == "dingloucun"
    assert rules.derive("37", "山东省")["parent_id"] is None


@settings(max_examples=300)
@given(st.text(alphabet="长重行大集丁楼村社区银行重庆长沙都会乐曹县菏泽", min_size=1, max_size=8))
def test_fast_pinyin_equals_phrase_aware_pinyin(name):
    assert rules.name_pinyin(name) == "".join(
        lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    )


@pytest.mark.parametrize(("text", "levels"), [("1-4", [1, 2, 3, 4]), ("4", [4]), ("1,5", [1, 5])])
def test_levels_option(text, levels):
    assert parse_levels(text) == levels


@pytest.mark.parametrize("text", ["", "0-4", "4-1", "1-6", "a"])
def test_bad_levels_option_is_refused(text):
    with pytest.raises(ValueError):
        parse_levels(text)
