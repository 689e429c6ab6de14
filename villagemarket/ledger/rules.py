"""The ledger's pure rules (no ORM): which commission rate applies, and how a settled order's
amount splits between the seller's households, the platform's commission and rounding.

All arithmetic is on integer minor units; the split is exact (the parts always add up to the
order's amount) and deterministic (the same lines in any order give the same split).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from villagemarket.core.money import Money

# The platform's commission when neither the category nor any category above it has a rate.
DEFAULT_COMMISSION_BP = 500
BASIS_POINTS = 10_000


def effective_rate_bp(category_bp: int | None, shop_bp: int) -> int:
    """The commission rate for one line: the category's rate (the platform default when the
    category has none), but never above the shop's own rate.

    The shop's stored rate is a ceiling an operator sets per shop (0 for a relief household, a
    cooperative's negotiated rate); the category schedule is the platform's price list. Taking
    the lower one means a shop's agreement can only help it and a category discount helps
    every shop.
    """
    rate = DEFAULT_COMMISSION_BP if category_bp is None else category_bp
    if not (0 <= rate <= BASIS_POINTS and 0 <= shop_bp <= BASIS_POINTS):
        raise ValueError("commission rates are between 0 and 10000 basis points")
    return min(rate, shop_bp)


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator/denominator rounded to the nearest integer, halves away from zero (n >= 0)."""
    if numerator < 0 or denominator <= 0:
        raise ValueError("round_half_up takes a non-negative numerator and positive denominator")
    return (2 * numerator + denominator) // (2 * denominator)


@dataclass(frozen=True)
class SettlementLine:
    """Goods of one order line: their amount, the commission rate that applies to them, and the
    household of a service point that sold them (None: the shop itself)."""

    amount: Money
    rate_bp: int
    household_id: int | None = None


@dataclass(frozen=True)
class Split:
    """Where a settled order's money goes. `payables` maps household id (None: the shop) to
    what it earned; `rounding` is what the per-household roundings add up to beyond the
    order's commission (may be negative)."""

    gross: Money
    payables: dict[int | None, Money] = field(default_factory=dict)
    commission: Money = Money(0)
    rounding: Money = Money(0)

    def total(self) -> Money:
        total = self.commission + self.rounding
        for amount in self.payables.values():
            total += amount
        return total


def split_settlement(lines: Iterable[SettlementLine], freight: Money) -> Split:
    """Split an order (goods lines plus freight) into seller payables, commission and rounding.

    Commission is charged on goods only; freight is the shop's in full (it paid the carrier).
    Each household's commission is its exact commission (sum of amount x rate) rounded half up
    once; the platform's commission revenue is the whole order's exact commission rounded half
    up once; the difference between the two goes to the fixed rounding account. A shop without
    households therefore never touches the rounding account.
    """
    lines = list(lines)
    currency = freight.currency
    if freight.minor < 0:
        raise ValueError("freight cannot be negative")
    exact: dict[int | None, int] = {}  # household -> commission numerator (minor x bp)
    gross: dict[int | None, int] = {}
    for line in lines:
        if line.amount.currency != currency:
            raise ValueError("every line of an order is in the order's currency")
        if line.amount.minor <= 0:
            raise ValueError("an order line's amount is positive")
        if not 0 <= line.rate_bp <= BASIS_POINTS:
            raise ValueError("commission rates are between 0 and 10000 basis points")
        exact[line.household_id] = (
            exact.get(line.household_id, 0) + line.amount.minor * line.rate_bp
        )
        gross[line.household_id] = gross.get(line.household_id, 0) + line.amount.minor
    if freight.minor:
        gross[None] = gross.get(None, 0) + freight.minor
        exact.setdefault(None, 0)
    charged = {h: round_half_up(numerator, BASIS_POINTS) for h, numerator in exact.items()}
    commission = round_half_up(sum(exact.values()), BASIS_POINTS)
    payables = {
        h: Money(gross[h] - charged[h], currency)
        for h in sorted(gross, key=lambda h: (h is not None, h or 0))
    }
    return Split(
        gross=Money(sum(gross.values()), currency),
        payables=payables,
        commission=Money(commission, currency),
        rounding=Money(sum(charged.values()) - commission, currency),
    )


def unbalanced_currencies(amounts: Iterable[Money]) -> list[str]:
    """Currencies whose signed amounts (debits positive) do not sum to zero, sorted."""
    sums: dict[str, int] = {}
    for amount in amounts:
        sums[amount.currency] = sums.get(amount.currency, 0) + amount.minor
    return sorted(currency for currency, total in sums.items() if total != 0)


# The smallest withdrawal a seller may request (bank transfers cost the platform per transfer).
MIN_WITHDRAWAL_MINOR = 1_000
