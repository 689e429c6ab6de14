"""The anti-brushing rules as pure functions (no ORM): when each one fires, and how a flag
explains itself. The thresholds and windows are operator data (models.Rule); checks.py gathers
the figures with indexed queries and asks these functions.

Two shapes of rule:
- counts ("many orders from one address"): fire when the count reaches the threshold
  (count >= threshold); just below it, nothing.
- speeds ("confirmed 3 minutes after shipment"): fire when the time is shorter than the
  threshold (minutes < threshold); at the threshold or slower, nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ADDRESS = "address"
DEVICE = "device"
PAYER = "payer"
NEW_ACCOUNT = "new_account"
FAST_CONFIRM = "fast_confirm"
TRACKING = "tracking"
SIMILAR_REVIEWS = "similar_reviews"
STAFF_REVIEW = "staff_review"

ORDER_RULES = (ADDRESS, DEVICE, PAYER, NEW_ACCOUNT, FAST_CONFIRM, TRACKING)
REVIEW_RULES = (SIMILAR_REVIEWS, STAFF_REVIEW)
SPEED_RULES = (NEW_ACCOUNT, FAST_CONFIRM)

# Review texts shorter than this (letters and digits, after normalising) are not compared:
# "很好" or "good" is what many honest buyers write.
MIN_REVIEW_CHARS = 12
SHINGLE = 3  # characters per shingle (works for Chinese, which has no spaces, and for English)


@dataclass(frozen=True)
class Params:
    """One rule's tunable figures, as the operator set them."""

    code: str
    threshold: int
    window_minutes: int = 0
    enabled: bool = True


def count_fires(count: int, params: Params) -> bool:
    """A count rule fires when `count` reaches the threshold."""
    return params.enabled and count >= params.threshold


def speed_fires(minutes: float, params: Params) -> bool:
    """A speed rule fires when the time is shorter than the threshold (in minutes)."""
    return params.enabled and minutes < params.threshold


# --- near-identical texts ---------------------------------------------------------------------
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalised_text(text: str) -> str:
    """NFKC, case-folded, letters and digits only: punctuation and spacing do not make two
    copies of one review different."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text or "").casefold())


def shingles(text: str) -> frozenset[str]:
    """The set of SHINGLE-character pieces of the normalised text (empty when too short)."""
    norm = normalised_text(text)
    if len(norm) < MIN_REVIEW_CHARS:
        return frozenset()
    return frozenset(norm[i : i + SHINGLE] for i in range(len(norm) - SHINGLE + 1))


def similarity_percent(a: frozenset[str], b: frozenset[str]) -> int:
    """Jaccard similarity of two shingle sets, in whole percent (0 when either is empty)."""
    if not a or not b:
        return 0
    return (100 * len(a & b)) // len(a | b)


def most_similar(text: str, others: list[tuple[int, str]]) -> tuple[int | None, int]:
    """The id of the other text most like `text`, and how alike (percent); (None, 0) if none."""
    mine = shingles(text)
    best_id, best = None, 0
    for other_id, other_text in others:
        score = similarity_percent(mine, shingles(other_text))
        if score > best:
            best_id, best = other_id, score
    return best_id, best


# --- explanations -----------------------------------------------------------------------------
def window_label(minutes: int) -> str:
    """A window in the largest whole unit: "90 days", "24 h", "45 min"."""
    if minutes and minutes % 1440 == 0 and minutes >= 2880:
        days = minutes // 1440
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if minutes and minutes % 60 == 0:
        return _("%(n)d h") % {"n": minutes // 60}
    return _("%(n)d min") % {"n": minutes}


def rule_label(code: str) -> str:
    """The rule's name for operators."""
    return {
        ADDRESS: _("Many orders from one delivery address"),
        DEVICE: _("Many orders from one device"),
        PAYER: _("Many orders from one payment account"),
        NEW_ACCOUNT: _("Account created just before buying"),
        FAST_CONFIRM: _("Receipt confirmed very soon after shipment"),
        TRACKING: _("Tracking number used on several orders"),
        SIMILAR_REVIEWS: _("Near-identical review texts"),
        STAFF_REVIEW: _("Review from an account linked to the shop's staff"),
    }.get(code, code)


def threshold_label(code: str) -> str:
    """What the threshold counts, for the rules page."""
    if code in SPEED_RULES:
        return _("minutes (flag when shorter)")
    if code == SIMILAR_REVIEWS:
        return _("percent alike (flag at or above)")
    if code == STAFF_REVIEW:
        return _("links to staff (flag at or above)")
    return _("orders (flag at or above)")


def explain(code: str, figures: dict) -> str:
    """The flag's reason with its figures, in the reader's language, e.g. "5 orders from 1
    address in 24 h, threshold 3"."""
    f = dict(figures)
    if "window_minutes" in f:
        f["window"] = window_label(int(f["window_minutes"]))
    if code == ADDRESS:
        return _("%(count)d orders from 1 address in %(window)s, threshold %(threshold)d") % f
    if code == DEVICE:
        return _("%(count)d orders from 1 device in %(window)s, threshold %(threshold)d") % f
    if code == PAYER:
        return (
            _("%(count)d orders paid by 1 payment account in %(window)s, threshold %(threshold)d")
            % f
        )
    if code == NEW_ACCOUNT:
        return _("Account created %(minutes)d min before ordering, threshold %(threshold)d min") % f
    if code == FAST_CONFIRM:
        return (
            _("Receipt confirmed %(minutes)d min after shipment, threshold %(threshold)d min") % f
        )
    if code == TRACKING:
        return (
            _(
                "Tracking number %(tracking_no)s on %(count)d orders in %(window)s, "
                "threshold %(threshold)d"
            )
            % f
        )
    if code == SIMILAR_REVIEWS:
        return (
            _("Text %(percent)d%% alike review #%(other)d of this shop, threshold %(threshold)d%%")
            % f
        )
    if code == STAFF_REVIEW:
        f["links"] = ", ".join(link_label(link) for link in f.get("links", []))
        return _("Reviewer linked to the shop's staff (%(links)s), threshold %(threshold)d") % f
    return code


def link_label(link: str) -> str:
    return {
        "member": _("is a member of the shop"),
        "device": _("same device as staff"),
        "payer": _("same payment account as staff"),
    }.get(link, link)
