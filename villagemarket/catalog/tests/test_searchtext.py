"""Search text: what buyers type (Chinese words, toneless pinyin, initials, English)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from villagemarket.catalog.searchtext import build_search_text


def test_chinese_title_gives_words_pinyin_and_initials():
    text = build_search_text("丁楼演出服", "Stage costume")
    assert text == "丁楼演出服 stage costume 丁楼 演出服 dinglou yanchufu dlycf"


def test_latin_title_is_kept_without_pinyin():
    assert build_search_text("LED 灯", "").startswith("LED 灯")
    assert build_search_text("abc", "") == "abc"


def test_empty_title_gives_empty_text():
    assert build_search_text("", "") == ""


han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(alphabet=han | st.sampled_from(" abcXYZ123-<>&\"'"), max_size=30),
    title_en=st.text(max_size=30),
)
def test_search_text_keeps_every_title_word_and_has_no_repeats(title, title_en):
    text = build_search_text(title, title_en)
    tokens = text.split()
    assert len(tokens) == len(set(tokens))
    for word in title.split():
        assert word in tokens
    assert "\n" not in text and "  " not in text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=han, min_size=2, max_size=12))
def test_pinyin_is_lowercase_ascii_without_tones(title):
    latin = [t for t in build_search_text(title).split() if t.isascii()]
    assert latin, "every Chinese title gets a pinyin form"
    assert all(t.isalpha() and t == t.lower() for t in latin)
