"""Query understanding: what a buyer typed becomes weighted terms, each with alternatives.

- words: jieba words of Chinese runs and latin words; stop words dropped (search.analysis);
- a Han word also matches by its pinyin (same-sound characters: 汗服 finds 汉服) at lower weight;
- a latin word the index does not know is corrected to a known word one edit away (hanfy ->
  hanfu), or split into two known words (caoxianhanfu -> caoxian + hanfu); spaced pinyin is
  joined when the joined word is known (yu rong bei -> yurongbei);
- synonyms (operators' groups) add alternatives at lower weight;
- a word naming a region (a county, town, village, prefecture or province) becomes a place filter
  as well as text: 曹县 汉服 = hanfu shipped from Cao County.
Words are weighted, not all required: see search.service for how matches are scored.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from pypinyin import Style

from villagemarket.regions.models import Level, Region

from . import analysis
from .index import ensure_dictionary, index_version
from .models import SearchWord, Synonym

SAME_SOUND, TYPO, SYNONYM, PREFIX = 0.7, 0.7, 0.8, 0.5


@dataclass
class Term:
    """One word of the query and the tokens that count as matching it, each with a weight."""

    word: str
    alternatives: dict[str, float] = field(default_factory=dict)
    # A single Chinese character (盖, 买) scores when it matches but is not missed when it does
    # not: alone it is more often a verb or a filler than the thing wanted.
    optional: bool = False

    def add(self, token: str, weight: float) -> None:
        if token and weight > self.alternatives.get(token, 0):
            self.alternatives[token] = weight


@dataclass
class ParsedQuery:
    text: str
    terms: list[Term]
    place: Region | None = None

    @property
    def tokens(self) -> list[str]:
        return analysis.unique(t for term in self.terms for t in term.alternatives)


def _known(words: set[str]) -> set[str]:
    if not words:
        return set()
    return set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))


def _join_spaced_latin(words: list[str]) -> list[str]:
    """Join runs of latin words whose concatenation the index knows (yu rong bei)."""
    candidates: set[str] = set()
    for i in range(len(words)):
        for j in range(i + 2, min(len(words), i + 5) + 1):
            if all(w.isascii() for w in words[i:j]):
                candidates.add("".join(words[i:j]))
    known = _known(candidates)
    out, i = [], 0
    while i < len(words):
        for j in range(min(len(words), i + 5), i + 1, -1):
            if "".join(words[i:j]) in known:
                out.append("".join(words[i:j]))
                i = j
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _split_latin(word: str, known_words: set[str]) -> list[str] | None:
    """Two known words that make up `word` (caoxianhanfu), longest first part first."""
    cuts = [(word[:i], word[i:]) for i in range(len(word) - 2, 1, -1)]
    known = _known({p for cut in cuts for p in cut}) | known_words
    for left, right in cuts:
        if left in known and right in known:
            return [left, right]
    return None


_synonym_cache: tuple[tuple, list[list[str]]] | None = None


def _synonym_groups() -> list[list[str]]:
    """The operators' synonym groups, parsed once per process and again only when they change:
    one small aggregate per query (count, last edit) tells whether they did, so an edit in the
    admin applies to the next query in every worker, with no cache to invalidate."""
    global _synonym_cache
    version = tuple(Synonym.objects.aggregate(n=Count("pk"), at=Max("updated_at")).values())
    if _synonym_cache is None or _synonym_cache[0] != version:
        _synonym_cache = (version, [s.word_list() for s in Synonym.objects.all()])
    return _synonym_cache[1]


def _synonyms(words: list[str], groups: list[list[str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for word in words:
        for group in groups:
            if word in group or analysis.stem(word) in group:
                found.setdefault(word, []).extend(w for w in group if w != word)
    return found


def _place(words: list[str]) -> Region | None:
    """The most specific region named by a Han word of the query (its name or short name)."""
    names = [w for w in words if analysis.is_han(w) and len(w) > 1]
    if not names:
        return None
    regions = list(
        Region.objects.filter(level__gte=Level.PROVINCE).filter(
            Q(short_name__in=names) | Q(name__in=names)
        )
    )
    return max(regions, key=lambda r: (r.level, r.code)) if regions else None


_parsed: OrderedDict[tuple, ParsedQuery] = OrderedDict()
PARSED_KEPT, PARSED_SECONDS = 1000, 60


def parse(text: str) -> ParsedQuery:
    """Analyse the query the way products were analysed, and widen each word (see module doc).

    Kept per process for the most recent PARSED_KEPT queries, under what the answer depends
    on: the index version (the vocabulary that typos and run-together pinyin are matched
    against: every indexed change bumps it), the synonym groups' version (checked per query,
    as before) and the minute (regions and jieba's dictionary are re-read at most once a minute
    anyway). Buyers repeat the same queries; each one parsed again asks the database 2-4 times."""
    ensure_dictionary()  # jieba cuts the query with the words the index was cut with
    groups = _synonym_groups()
    key = (text, index_version(), _synonym_cache[0], int(time.monotonic() // PARSED_SECONDS))
    found = _parsed.get(key)
    if found is None:
        found = _parse(text, groups)
        _parsed[key] = found
        while len(_parsed) > PARSED_KEPT:
            _parsed.popitem(last=False)
    else:
        _parsed.move_to_end(key)
    return found


def _parse(text: str, groups: list[list[str]]) -> ParsedQuery:
    words = analysis.query_words(text)
    words = _join_spaced_latin(words)
    latin = {analysis.stem(w) for w in words if not analysis.is_han(w)}
    known = _known(latin)
    place = _place(words)
    expanded: list[str] = []
    for word in words:
        if not analysis.is_han(word) and analysis.stem(word) not in known and len(word) >= 6:
            parts = _split_latin(word, known)
            if parts:
                expanded += parts
                continue
        expanded.append(word)
    synonyms = _synonyms(expanded, groups)
    typo_pool = {
        w: analysis.one_edit(w) for w in expanded if not analysis.is_han(w) and w not in known
    }
    typo_pool = {w: c for w, c in typo_pool.items() if len(w) >= 4}
    typo_known = _known(set().union(*typo_pool.values())) if typo_pool else set()
    terms = []
    for word in expanded:
        term = Term(word)
        if analysis.is_han(word):
            term.add(word, 1.0)
            for token in analysis.han_words(word):
                term.add(token, 0.6 if token != word else 1.0)
            term.add(analysis.pinyin(word), SAME_SOUND)
            if len(word) == 1:
                term.alternatives = {word: 1.0}
                term.optional = True
        else:
            term.add(analysis.stem(word), 1.0)
            term.add(word, 1.0)
            for candidate in sorted(typo_pool.get(word, set()) & typo_known):
                term.add(candidate, TYPO)
        for synonym in synonyms.get(word, []):
            for token in analysis.analyse(synonym)[:1]:
                term.add(token, SYNONYM)
        terms.append(term)
    return ParsedQuery(text=text, terms=terms, place=place)


def initials(text: str) -> str:
    return analysis.pinyin(text, Style.FIRST_LETTER)
