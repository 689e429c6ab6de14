"""Text analysis shared by the index and the query (pure: no ORM).

Every field of a product and every query goes through the same steps, so what a buyer types meets
what the index stored:
- Chinese runs: jieba search mode (羽绒被 -> 羽绒, 羽绒被), each word's toneless pinyin (yurongbei),
  the pinyin of adjacent word pairs (caoxianhanfu is cao xian + han fu typed run-together), and
  the initials of the whole run (yrb);
- latin runs: lower-cased words, lightly stemmed (quilts -> quilt, boxes -> box).

Tokens never contain spaces, so the index backends (FTS5, tsvector 'simple') only split on them.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable

import jieba
from pypinyin import Style, lazy_pinyin

jieba.setLogLevel(logging.WARNING)

HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"[0-9a-z]+")
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+")

# Filler words a buyer puts around what they want: never required, never scored.
_STOP_TEXT = (
    "的 了 和 与 及 给 我 我们 你 想 要 想要 买 购买 一个 一件 一些 有 有没有 没有 什么 哪里 "
    "哪个 请问 推荐 求 吗 呢 吧 啊 在 是 用 用的 适合 能 可以 就 都 也 很 好 好的 便宜 便宜的 "
    "a an the for of and or to with in on at my me i want buy some any please cheap good"
)
STOP_WORDS = frozenset(_STOP_TEXT.split())
_ADDED_WORDS: set[str] = set()


def add_words(words: Iterable[str]) -> None:
    """Teach jieba product and place words (categories, region short names) it may not know."""
    for word in words:
        word = (word or "").strip()
        if len(word) > 1 and HAN_RUN.fullmatch(word) and word not in _ADDED_WORDS:
            _ADDED_WORDS.add(word)
            jieba.add_word(word, freq=20000)


@functools.lru_cache(maxsize=65_536)
def pinyin(text: str, style: Style = Style.NORMAL) -> str:
    """Toneless pinyin (or initials) of the Han characters of `text`, run together.

    Remembered per process: pypinyin's answer depends only on the text (its own dictionary, not
    jieba's), and product words repeat across titles, so an index build spends most of its time
    here without the cache."""
    return "".join(lazy_pinyin(text, style=style, errors="ignore")).lower()


def stem(word: str) -> str:
    """A light English stemmer: plurals and the commonest suffixes, never below 3 letters."""
    if not word.isascii() or not word.isalpha() or len(word) <= 3:
        return word
    for suffix, repl in (
        ("ies", "y"),
        ("sses", "ss"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("xes", "x"),
    ):
        if word.endswith(suffix):
            return word[: -len(suffix)] + repl
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def han_words(run: str) -> list[str]:
    """jieba search-mode words of a Han run (long words and the shorter words inside them)."""
    words: list[str] = []
    for word in jieba.cut_for_search(run):
        word = word.strip()
        if word and word not in words:
            words.append(word)
    return words


def han_tokens(run: str) -> list[str]:
    """Index tokens of one Han run: words, single characters of short words, pinyin, initials."""
    words = han_words(run)
    tokens = list(words)
    main = [w for w in jieba.cut(run) if w.strip()]
    # Pinyin of pairs and of the whole run is put together from each word's (remembered), not
    # asked of pypinyin: pairs and runs (often a whole title written without spaces) are mostly
    # new texts, and pypinyin takes ~0.3 ms per new text (most of an index build's time). Each
    # word's reading still comes from pypinyin's phrase dictionary (polyphones: 长款 changkuan).
    full = [pinyin(w) for w in main]
    tokens += [pinyin(w) for w in words]
    tokens += [a + b for a, b in zip(full, full[1:], strict=False)]
    tokens.append("".join(full))
    if len(run) > 1:
        initials = [pinyin(w, Style.FIRST_LETTER) for w in main]
        tokens.append("".join(initials))
        tokens += [i for w, i in zip(main, initials, strict=True) if len(w) > 1]
        tokens += [a + b for a, b in zip(initials, initials[1:], strict=False)]
    return tokens


def analyse(text: str) -> list[str]:
    """Distinct index tokens of a field, in order of appearance."""
    tokens: list[str] = []
    for match in _RUN.finditer((text or "").lower()):
        run = match.group()
        if HAN_RUN.fullmatch(run):
            tokens += han_tokens(run)
        else:
            tokens.append(stem(run))
            if run != stem(run):
                tokens.append(run)
    return unique(t for t in tokens if t)


def unique(items: Iterable[str]) -> list[str]:
    """Distinct non-empty items, in order of first appearance."""
    return [item for item in dict.fromkeys(items) if item]


def query_words(query: str, max_words: int = 8) -> list[str]:
    """The words of a query, in order: jieba words of Chinese runs (stop words dropped) and latin
    words. Each becomes one weighted term of the search (see search.query)."""
    words: list[str] = []
    for match in _RUN.finditer((query or "").lower()):
        run = match.group()
        if HAN_RUN.fullmatch(run):
            words += [w for w in jieba.cut(run) if w.strip()]
        else:
            words.append(run)
    kept = [w for w in unique(words) if w not in STOP_WORDS]
    return kept[:max_words]


def is_han(word: str) -> bool:
    return bool(HAN_RUN.fullmatch(word))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit(word: str) -> set[str]:
    """Every string one deletion, swap, replacement or insertion away from `word` (latin)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | swaps | replaces | inserts) - {word}
