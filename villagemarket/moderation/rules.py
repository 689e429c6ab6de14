"""Screening as pure rules (no ORM): normalise text, find prohibited terms, score link spam.

Terms are operator data (moderation.models.Term); this module only compiles and applies them, so
it is tested without a database. Text is normalised with NFKC and case-folded before matching:
full-width "ＱＱ：" is "qq:", "ＶＸ" is "vx".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

HOLD = "hold"
REFUSE = "refuse"
SPAM_CATEGORY = "spam"
EXCERPT_SIDE = 24  # characters of context shown on each side of a match
MAX_PATTERN = 300
MAX_MATCHES = 20  # a spam block matches hundreds of times; the queue shows the first ones

# A URL or a bare domain ("xxx.com", "www.yyy.cn/path"): what the spam score counts as a link.
LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    r"|(?<![\w@.])[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63})*"
    r"\.(?:com|cn|net|org|top|xyz|cc|info|biz|vip|shop|club|site|online|io|me|tk|ws|hk|tw)\b"
    r"(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
SPACES = re.compile(r"\s+")
WORD = re.compile(r"[a-z]{3,}|[\u4e00-\u9fff]{2,}", re.IGNORECASE)


def normalise(text: str) -> str:
    """NFKC and case-fold: the form terms are matched against (full-width letters, colons)."""
    return unicodedata.normalize("NFKC", text or "").casefold()


@dataclass(frozen=True)
class TermSpec:
    """One operator term as screening needs it."""

    id: int
    text: str
    is_regex: bool
    category: str
    action: str = HOLD


def compile_term(text: str, *, is_regex: bool) -> re.Pattern:
    """The pattern of one term. A word matches as typed (after normalising); an ASCII word
    only as a whole word, so "qq" does not match inside "aqqa". ValueError for a bad regex."""
    if is_regex:
        try:
            return re.compile(text, re.IGNORECASE)
        except re.error as exc:
            raise ValueError(str(exc)) from None
    word = normalise(text).strip()
    pattern = re.escape(word)
    if word[:1].isascii() and word[:1].isalnum():
        pattern = r"(?<![a-z0-9])" + pattern
    if word[-1:].isascii() and word[-1:].isalnum():
        pattern += r"(?![a-z0-9])"
    return re.compile(pattern)


def pattern_problem(text: str, *, is_regex: bool) -> str:
    """Why this term cannot be used ("" when it can): empty, too long, a bad regular
    expression, or one that matches empty text (it would hold everything)."""
    if not (text or "").strip():
        return _("Enter a word or a pattern.")
    if len(text) > MAX_PATTERN:
        return _("At most %(n)d characters.") % {"n": MAX_PATTERN}
    try:
        compiled = compile_term(text, is_regex=is_regex)
    except ValueError as exc:
        return _("Not a valid regular expression: %(error)s") % {"error": exc}
    if compiled.search(""):
        return _("This pattern matches empty text, so it would hold everything.")
    return ""


@dataclass(frozen=True)
class Match:
    """A term (or the spam score) that matched, with the text around it."""

    term: str
    category: str
    excerpt: str
    action: str = HOLD
    start: int = 0
    end: int = 0
    parts: tuple[str, str, str] = ("", "", "")

    def __iter__(self):  # (term, category, excerpt), as the interface promises
        return iter((self.term, self.category, self.excerpt))


@dataclass(frozen=True)
class SpamLimits:
    """When a text is link spam (operator settings)."""

    max_links: int = 5  # this many links or more hold the text
    min_links_for_density: int = 3
    max_link_share: float = 0.3  # share of the characters that are links
    max_keyword_repeats: int = 8  # one word repeated this often, beside links


@dataclass
class SpamScore:
    links: int = 0
    link_share: float = 0.0
    top_word: str = ""
    top_count: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def is_spam(self) -> bool:
        return bool(self.reasons)


def spam_score(text: str, limits: SpamLimits) -> SpamScore:
    """Count links, the share of text that is links and the most repeated word, and say which
    limits are passed. A description with one shop address is not spam; a block of
    "keyword http://xxx.com keyword2 http://yyy.cn ..." is."""
    text = normalise(text)
    score = SpamScore()
    links = LINK.findall(text)
    score.links = len(links)
    visible = len("".join(text.split())) or 1
    score.link_share = sum(len(link) for link in links) / visible
    words = Counter(WORD.findall(LINK.sub(" ", text)))
    if words:
        score.top_word, score.top_count = words.most_common(1)[0]
    if score.links >= limits.max_links:
        score.reasons.append(_("%(n)d links") % {"n": score.links})
    if score.links >= limits.min_links_for_density and score.link_share >= limits.max_link_share:
        score.reasons.append(_("%(pct)d%% of the text is links") % {"pct": score.link_share * 100})
    if score.links and score.top_count >= limits.max_keyword_repeats:
        score.reasons.append(
            _("“%(word)s” repeated %(n)d times beside links")
            % {"word": score.top_word, "n": score.top_count}
        )
    return score


def excerpt_parts(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(before, match, after) with a little context, on one line: the queue marks the match."""
    left = max(0, start - EXCERPT_SIDE)
    right = min(len(text), end + EXCERPT_SIDE)
    before = ("…" if left else "") + SPACES.sub(" ", text[left:start])
    after = SPACES.sub(" ", text[end:right]) + ("…" if right < len(text) else "")
    return before, SPACES.sub(" ", text[start:end]), after


def excerpt(text: str, start: int, end: int) -> str:
    """The match with a little context, on one line."""
    return "".join(excerpt_parts(text, start, end))


def find_matches(
    text: str, terms: list[tuple[TermSpec, re.Pattern]], limits: SpamLimits
) -> list[Match]:
    """Every term that matches `text` (first occurrence of each), then the spam score's verdict.
    Positions are in the normalised text (NFKC keeps most positions; excerpts come from it)."""
    norm = normalise(text)
    found: list[Match] = []
    for spec, pattern in terms:
        hit = pattern.search(norm)
        if hit is None:
            continue
        found.append(
            Match(
                term=spec.text,
                category=spec.category,
                excerpt=excerpt(norm, hit.start(), hit.end()),
                parts=excerpt_parts(norm, hit.start(), hit.end()),
                action=spec.action,
                start=hit.start(),
                end=hit.end(),
            )
        )
        if len(found) >= MAX_MATCHES:
            break
    score = spam_score(text, limits)
    if score.is_spam:
        first = LINK.search(norm)
        start, end = (first.start(), first.end()) if first else (0, 0)
        found.append(
            Match(
                term=_("spam score: %(reasons)s") % {"reasons": "; ".join(score.reasons)},
                category=SPAM_CATEGORY,
                excerpt=excerpt(norm, start, end),
                parts=excerpt_parts(norm, start, end),
                start=start,
                end=end,
            )
        )
    return found
