"""Search text for a product: what a buyer might type, in Chinese, pinyin or English.

Pure (no ORM): `build_search_text("丁楼演出服", "Stage costume")` gives
"丁楼演出服 stage costume 丁楼 演出服 dinglou yanchufu dlycf". Buyers on phones often type
pinyin without tones, whole words run together, or just the initials, so all three forms are kept.
"""

from __future__ import annotations

import logging
import re

import jieba
from pypinyin import Style, lazy_pinyin

jieba.setLogLevel(logging.WARNING)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACE = re.compile(r"\s+")


def _has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def _words(title: str) -> list[str]:
    """jieba words that contain Chinese characters (latin words are kept by the title itself)."""
    return [w for w in (t.strip() for t in jieba.cut(title)) if w and _has_han(w)]


def _pinyin(word: str, style: Style = Style.NORMAL) -> str:
    # errors="ignore" drops anything that is not a Han character (punctuation, digits).
    return "".join(lazy_pinyin(word, style=style, errors="ignore")).lower()


def build_search_text(title: str, title_en: str = "", extra: str = "") -> str:
    """Title + English title + jieba words + their toneless pinyin + the title's initials.

    Latin text is lower-cased; whitespace collapsed; no word repeated.
    """
    title = _SPACE.sub(" ", (title or "").strip())
    parts: list[str] = [title, (title_en or "").strip().lower(), (extra or "").strip()]
    words = _words(title)
    if len(words) > 1:
        parts.append(" ".join(words))
    pinyin_words = [_pinyin(w) for w in words]
    parts.append(" ".join(p for p in pinyin_words if p))
    initials = "".join(_pinyin(w, Style.FIRST_LETTER) for w in words)
    if len(initials) > 1:
        parts.append(initials)
    seen: set[str] = set()
    tokens: list[str] = []
    for token in _SPACE.split(" ".join(parts)):
        if token and token not in seen:
            seen.add(token)
            tokens.append(token)
    return " ".join(tokens)
