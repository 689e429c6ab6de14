"""Turning what a buyer typed into search terms (pure: no ORM).

Chinese runs are segmented with jieba, so "丁楼演出服" needs both 丁楼 and 演出服 (in any order,
anywhere in the text). Latin runs (English words, pinyin "dinglou", initials "dl") are
lower-cased whitespace words. At most MAX_TERMS terms, so a pasted paragraph cannot make a
query with hundreds of LIKEs.
"""

from __future__ import annotations

import logging
import re

import jieba

jieba.setLogLevel(logging.WARNING)

MAX_QUERY = 100
MAX_TERMS = 6
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[0-9a-z]+")


def search_terms(query: str) -> list[str]:
    """Distinct terms of `query`, in order: jieba words of Chinese runs, latin words lower-cased."""
    text = (query or "").strip().lower()[:MAX_QUERY]
    terms: list[str] = []
    position = 0
    for match in _HAN_RUN.finditer(text):
        terms += _LATIN_WORD.findall(text[position : match.start()])
        terms += [w for w in jieba.cut(match.group()) if w.strip()]
        position = match.end()
    terms += _LATIN_WORD.findall(text[position:])
    seen: list[str] = []
    for term in terms:
        if term not in seen:
            seen.append(term)
    return seen[:MAX_TERMS]
