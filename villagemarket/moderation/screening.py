"""Screening with the operator's terms, compiled once per process and per terms version.

The compiled terms live in this process's memory only as a cache: every screen reads the current
`terms_version` (one small query) and recompiles when an operator has changed the terms since, so
an edit applies at once on every app server and worker with no deploy.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from . import rules
from .models import Settings, Term

logger = logging.getLogger(__name__)


@dataclass
class Screening:
    """What screening found. `held`: hold for review; `refused`: a "refuse" term matched."""

    matches: list[rules.Match] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return bool(self.matches)

    @property
    def refused(self) -> bool:
        return any(match.action == rules.REFUSE for match in self.matches)

    def as_json(self) -> list[dict]:
        return [
            {
                "term": m.term,
                "category": m.category,
                "excerpt": m.excerpt,
                "action": m.action,
                "parts": list(m.parts),
            }
            for m in self.matches
        ]


_lock = threading.Lock()
_cache: dict = {"version": None, "terms": [], "limits": rules.SpamLimits()}


def current_settings() -> Settings:
    """The settings row (defaults when the row is missing: screening never writes)."""
    return Settings.objects.filter(pk=1).first() or Settings(pk=1)


def _compiled(config: Settings) -> tuple[list, rules.SpamLimits]:
    if _cache["version"] == config.terms_version:
        return _cache["terms"], _cache["limits"]
    terms = []
    for term in Term.objects.filter(is_active=True).order_by("id"):
        spec = rules.TermSpec(term.pk, term.text, term.is_regex, term.category, term.action)
        try:
            terms.append((spec, rules.compile_term(term.text, is_regex=term.is_regex)))
        except ValueError:  # refused on save; a row written around the services is skipped
            logger.warning("moderation term %s is not a valid pattern; skipped", term.pk)
    limits = rules.SpamLimits(
        max_links=config.spam_max_links, max_keyword_repeats=config.spam_max_keyword_repeats
    )
    with _lock:
        _cache.update(version=config.terms_version, terms=terms, limits=limits)
    return terms, limits


def forget() -> None:
    """Drop this process's compiled terms (tests that write terms without the services)."""
    with _lock:
        _cache.update(version=None, terms=[])


def screen(text: str) -> Screening:
    """Screen `text` against the active terms and the spam score. Reads only."""
    if not (text or "").strip():
        return Screening()
    terms, limits = _compiled(current_settings())
    return Screening(rules.find_matches(text, terms, limits))
