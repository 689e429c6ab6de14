"""Product descriptions are a small, safe subset of HTML (nh3, a Rust sanitizer)."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "h3", "h4", "a"}
# Only plain web links: no javascript:, data: or other schemes; no style, no event handlers.
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https"}
# Longer text is refused by catalog.rules.check_description before it gets here; the cut is
# only a backstop for callers that skip the services.
MAX_DESCRIPTION = 20_000


def sanitize_description(html: str) -> str:
    """Keep text and the allowed tags; script/style elements disappear with their content."""
    return nh3.clean(
        (html or "")[:MAX_DESCRIPTION],
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    ).strip()
