"""Shop reputation: a pure function from a shop's record to a score and a level (no ORM).

The formula and its weights are documented in docs/reviews.md; keep the two in step.

    score = completed_orders
          + 2 * positive_ratings - 1 * neutral_ratings - 5 * negative_ratings
          - 3 * refunds - 20 * disputes_lost - 2 * late_shipments
    score = max(score, 0)

Every bad outcome has a negative weight, so more of it never raises the score (the property
tests in tests/test_reputation.py hold this for any record).
"""

from __future__ import annotations

from dataclasses import dataclass

WEIGHTS = {
    "completed_orders": 1,
    "positive_ratings": 2,
    "neutral_ratings": -1,
    "negative_ratings": -5,
    "refunds": -3,
    "disputes_lost": -20,
    "late_shipments": -2,
}

# (tier, first score of rank 1..5): seedlings (苗), sheaves (穗), harvest moons (月).
TIERS: list[tuple[str, tuple[int, ...]]] = [
    ("seedling", (4, 11, 41, 91, 151)),
    ("sheaf", (251, 501, 1001, 2001, 5001)),
    ("moon", (10001, 20001, 50001, 100001, 200001)),
]


@dataclass(frozen=True)
class ShopRecord:
    """What reputation is computed from (all counts over the shop's whole life)."""

    completed_orders: int = 0
    positive_ratings: int = 0  # item stars 4-5 (default ratings included)
    neutral_ratings: int = 0  # item stars 3
    negative_ratings: int = 0  # item stars 1-2
    refunds: int = 0  # orders with money paid back
    disputes_lost: int = 0  # arbitrations the operator decided for the buyer
    late_shipments: int = 0  # shipped (or still unshipped) past the promised hours after payment


@dataclass(frozen=True)
class Reputation:
    score: int
    tier: str  # "" (new shop), "seedling", "sheaf" or "moon"
    rank: int  # 1..5 within the tier, 0 for a new shop

    @property
    def symbols(self) -> str:
        return {"seedling": "🌱", "sheaf": "🌾", "moon": "🌕"}.get(self.tier, "") * self.rank


def score(record: ShopRecord) -> int:
    """The reputation score of `record` (never below 0)."""
    total = sum(weight * getattr(record, name) for name, weight in WEIGHTS.items())
    return max(total, 0)


def level(points: int) -> tuple[str, int]:
    """(tier, rank) for a score: the highest threshold reached; ("", 0) below the first."""
    found = ("", 0)
    for tier, thresholds in TIERS:
        for rank, first in enumerate(thresholds, start=1):
            if points >= first:
                found = (tier, rank)
    return found


def reputation(record: ShopRecord) -> Reputation:
    """Score and level of a shop's record."""
    points = score(record)
    tier, rank = level(points)
    return Reputation(score=points, tier=tier, rank=rank)
