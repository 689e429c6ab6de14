"""Pure rules that derive a region's flags and short name from its NBS code and official name.

No ORM here: the loader and the village CSV import both call these, and tests run them without a
database. The code structure (2/4/6/9/12 digits) is the NBS statistical division code.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT

LEVEL_LENGTHS = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
LENGTH_LEVELS = {length: level for level, length in LEVEL_LENGTHS.items()}
ANCESTOR_FIELDS = {1: "province_code", 2: "prefecture_code", 3: "county_code", 4: "township_code"}

SHORT_NAME_MAX = 60
PINYIN_MAX = 200

_PHRASE_MAX = max(map(len, PHRASES_DICT))
_PARENTHESES = re.compile(r"（[^（）]*）|\([^()]*\)")
# Committee suffixes of rural village committees; the short name keeps "村".
_RURAL_COMMITTEE = re.compile(r"(村民委员会|村民委会|村委员会|村委会|村民委|村委)$")
# Residents' committee suffixes; the short name keeps what comes before ("大集社区").
_URBAN_COMMITTEE = re.compile(r"(社区居民委员会|社区居委会|居民委员会|居委会)$")
_GACHA_COMMITTEE = re.compile(r"嘎查(民委员会|委员会|委会)$")


def level_of(code: str) -> int:
    """Level (1-5) from a code's natural length; ValueError for any other shape."""
    if not code.isdigit() or len(code) not in LENGTH_LEVELS:
        raise ValueError(f"not a division code: {code!r}")
    return LENGTH_LEVELS[len(code)]


def parent_code(code: str) -> str | None:
    """The parent's code: the code cut to the previous level's length (None for a province)."""
    level = level_of(code)
    return None if level == 1 else code[: LEVEL_LENGTHS[level - 1]]


def ancestor_codes(code: str) -> dict[str, str]:
    """The denormalised ancestor columns, own level included ("" above the code's level)."""
    level = level_of(code)
    return {
        field: code[: LEVEL_LENGTHS[lvl]] if lvl <= level else ""
        for lvl, field in ANCESTOR_FIELDS.items()
    }


def is_statistical(code: str) -> bool:
    """County-level units with a 7 as 5th digit (371771) exist only for statistics, and so
    do all regions under them."""
    return len(code) >= 6 and code[4] == "7"


def township_kind(name: str, code: str) -> str:
    """subdistrict / town / township / other: from the name's suffix, else from code digits 7-9.

    苏木 is Inner Mongolia's township (乡) and counts as one; farms, zones and the like fall through
    to the code digits, as NBS numbers them: <100 sub-district, 100-199 town, 200-399 township.
    """
    base = _PARENTHESES.sub("", name)
    if base.endswith("街道"):
        return "subdistrict"
    if base.endswith("镇"):
        return "town"
    if base.endswith("乡") or base.endswith("苏木"):
        return "township"
    digits = int(code[6:9])
    if digits < 100:
        return "subdistrict"
    if digits < 200:
        return "town"
    if digits < 400:
        return "township"
    return "other"


def is_rural(name: str, code: str) -> bool:
    """Rural village committee (村, 嘎查) or urban residents' committee (居, 社区).

    The suffix decides first ("东青社区居委会（含东青村村委）" is urban), then the words in
    the name,
    then NBS numbering: village digits 10-12 of 200 and above are village committees.
    """
    base = _PARENTHESES.sub("", name) or name
    if _URBAN_COMMITTEE.search(base) or base.endswith("社区"):
        return False
    if _RURAL_COMMITTEE.search(base) or base.endswith("村") or "嘎查" in base:
        return True
    if "居" in base or "社区" in base:
        return False
    if "村" in base:
        return True
    return int(code[9:12]) >= 200


def village_short_name(name: str) -> str:
    """丁楼村民委员会 -> 丁楼村, 大集社区居民委员会 -> 大集社区, 多福巷社区居委会 -> 多福巷社区."""
    base = _PARENTHESES.sub("", name).strip() or name
    if match := _RURAL_COMMITTEE.search(base):
        stem = base[: match.start()]
        short = stem if stem.endswith("村") else stem + "村"
    elif match := _URBAN_COMMITTEE.search(base):
        short = base[: match.start()] + ("社区" if "社区" in match.group(1) else "")
    elif match := _GACHA_COMMITTEE.search(base):
        short = base[: match.start()] + "嘎查"
    else:
        short = base
    if len(short) < 2:  # "村委会" alone would shrink to "村"
        short = name
    return short[:SHORT_NAME_MAX]


def prefecture_short_name(name: str, province_name: str) -> str:
    """Municipalities' placeholder prefectures read as their province's: 市辖区 -> 北京市辖区.

    NBS puts the districts of Beijing, Tianjin, Shanghai and Chongqing under a prefecture named
    "市辖区" (and Chongqing's counties under "县"), and county-level cities governed directly by a
    province under "省直辖县级行政区划". Alone, those names say nothing in a breadcrumb or picker.
    """
    if name == "市辖区":
        return f"{province_name}辖区"[:SHORT_NAME_MAX]
    if name == "县":
        return f"{province_name}辖县"[:SHORT_NAME_MAX]
    if name.endswith("直辖县级行政区划"):
        return f"{province_name}直辖县级单位"[:SHORT_NAME_MAX]
    return name[:SHORT_NAME_MAX]


@lru_cache(maxsize=16384)
def _char_pinyin(char: str) -> str:
    return "".join(lazy_pinyin(char, style=Style.NORMAL, errors="ignore"))


def _has_phrase(name: str) -> bool:
    n = len(name)
    return any(
        name[i:j] in PHRASES_DICT
        for i in range(n)
        for j in range(i + 2, min(n, i + _PHRASE_MAX) + 1)
    )


def name_pinyin(name: str) -> str:
    """Toneless lowercase pinyin without spaces (dingloucun), for search by pinyin.

    lazy_pinyin's phrase matching (长 in 长沙 vs 长大) costs ~80 µs a name, nearly a minute over
    620k villages; only names that contain a known phrase need it. The others come out the
    same character by character, from a cache (checked against lazy_pinyin in the tests).
    """
    if _has_phrase(name):
        text = "".join(lazy_pinyin(name, style=Style.NORMAL, errors="ignore"))
    else:
        text = "".join(_char_pinyin(char) for char in name)
    return text.lower()[:PINYIN_MAX]


# Generic terms of place names, longest first, romanised the way GB 17693.1 and road signs write
# them: the specific part in one word, the generic term after it, both capitalised.
GENERIC_TERMS = [
    ("直辖县级单位", "Zhixia Xianji Danwei"),
    ("特别行政区", "Tebie Xingzhengqu"),
    ("自治区", "Zizhiqu"),
    ("自治州", "Zizhizhou"),
    ("自治县", "Zizhixian"),
    ("自治旗", "Zizhiqi"),
    ("街道", "Jiedao"),
    ("辖区", "Xiaqu"),
    ("辖县", "Xiaxian"),
    ("社区", "Shequ"),
    ("嘎查", "Gacha"),
    ("省", "Sheng"),
    ("市", "Shi"),
    ("区", "Qu"),
    ("县", "Xian"),
    ("旗", "Qi"),
    ("盟", "Meng"),
    ("州", "Zhou"),
    ("镇", "Zhen"),
    ("乡", "Xiang"),
    ("村", "Cun"),
]
LATIN_MAX = 200
_PLACEHOLDER_TERMS = {"辖区", "辖县", "直辖县级单位"}


@lru_cache(maxsize=16384)
def _char_syllable(char: str) -> str:
    # v_to_u: 吕 is "lü" in a name people read (the search column keeps "lv", typed on keyboards).
    return "".join(lazy_pinyin(char, style=Style.NORMAL, v_to_u=True))


def _syllables(text: str) -> list[str]:
    if _has_phrase(text):
        return lazy_pinyin(text, style=Style.NORMAL, v_to_u=True)
    return [_char_syllable(char) for char in text]


# Official romanisations that plain pinyin cannot tell apart: 陕西 and 山西 are both "Shanxi"
# without tones, so the State Council's convention spells 陕西 "Shaanxi".
OFFICIAL_LATIN = {"陕西": "Shaanxi"}


def _one_word(text: str) -> str:
    """丁楼 -> Dinglou, 西安 -> Xi'an (an apostrophe before a syllable starting a/o/e)."""
    if text in OFFICIAL_LATIN:
        return OFFICIAL_LATIN[text]
    word = ""
    for syllable in _syllables(text):
        if word and syllable[:1] in ("a", "o", "e") and word[-1:].isalpha():
            word += "'"
        word += syllable
    return word[:1].upper() + word[1:]


def latin_name(short_name: str) -> str:
    """A region's name in pinyin for English pages: 丁楼村 -> Dinglou Cun, 曹县 -> Cao Xian,
    大集镇 -> Daji Zhen, 山东省 -> Shandong Sheng, 西安市 -> Xi'an Shi (no tones).

    Computed once when a region is loaded or imported and stored (Region.name_latin): pypinyin's
    phrase matching is too slow to run for every row of every page.
    """
    name = short_name.strip()
    for term, latin in GENERIC_TERMS:
        if name.endswith(term) and len(name) > len(term):
            specific = name[: -len(term)]
            # 北京市辖区 (prefecture_short_name): the province's own name is itself a place name.
            inner = latin_name(specific) if term in _PLACEHOLDER_TERMS else _one_word(specific)
            return f"{inner} {latin}"[:LATIN_MAX]
    return _one_word(name)[:LATIN_MAX]


def derive(code: str, name: str, province_name: str = "") -> dict:
    """Every derived column of one region from its code and official name."""
    level = level_of(code)
    if level == 5:
        short = village_short_name(name)
    elif level == 2:
        short = prefecture_short_name(name, province_name)
    else:
        short = name[:SHORT_NAME_MAX]
    return {
        "code": code,
        "name": name[:100],
        "short_name": short,
        "name_pinyin": name_pinyin(short),
        "name_latin": latin_name(short),
        "level": level,
        "parent_id": parent_code(code),
        "township_kind": township_kind(name, code) if level == 4 else "",
        "is_rural": is_rural(name, code) if level == 5 else None,
        "is_statistical": is_statistical(code),
        **ancestor_codes(code),
    }
