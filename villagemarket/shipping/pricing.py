"""Freight computation: pure rules, no ORM. A shop's template prices delivery by destination
province.

The first unit (item, or started kilogram) costs `first_minor`, each further one
`additional_minor`;
an order whose goods reach `free_above_minor` ships free; some provinces are not delivered to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from villagemarket.core.money import Money

BY_PIECE = "piece"
BY_WEIGHT = "weight"


@dataclass(frozen=True)
class Rule:
    """Prices for a set of destination provinces; an empty `provinces` is the template's default
    rule. Amounts are minor units of the template's currency (compute_freight makes them Money)."""

    first_minor: int
    additional_minor: int
    free_above_minor: int | None = None
    provinces: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Template:
    basis: str  # BY_PIECE or BY_WEIGHT
    rules: tuple[Rule, ...]
    excluded_provinces: frozenset[str] = field(default_factory=frozenset)
    currency: str = "CNY"


class NotDelivered:
    """The shop does not deliver to this province (falsy, so `if freight:` reads naturally)."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_DELIVERED"


NOT_DELIVERED = NotDelivered()


def rule_for(template: Template, province_code: str) -> Rule | None:
    """The province's own rule if there is one, else the default rule, else None."""
    default = None
    for rule in template.rules:
        if province_code in rule.provinces:
            return rule
        if not rule.provinces and default is None:
            default = rule
    return default


def units(basis: str, quantity: int, weight_grams: int) -> int:
    """Charged units: items, or kilograms started (a 1,200 g parcel is 2 kg)."""
    if basis == BY_WEIGHT:
        return max(1, -(-weight_grams // 1000)) if quantity > 0 else 0
    return quantity


def compute_freight(
    template: Template | None, province_code: str, *, quantity: int, weight_grams: int, goods: Money
) -> Money | NotDelivered:
    """Freight for one shop's parcel to `province_code`; NOT_DELIVERED if the shop does not go
    there.

    No template means the shop ships free everywhere. Never negative; non-decreasing in quantity
    and weight for the same goods amount; zero at or above the rule's free threshold.
    """
    if template is None:
        return Money.zero(goods.currency)
    province_code = province_code[:2]
    if province_code in template.excluded_provinces:
        return NOT_DELIVERED
    rule = rule_for(template, province_code)
    if rule is None:
        return NOT_DELIVERED
    # Compared as Money: goods in another currency than the template's raise CurrencyMismatch
    # instead of comparing fen with cents.
    if rule.free_above_minor is not None and goods >= Money(
        rule.free_above_minor, template.currency
    ):
        return Money.zero(template.currency)
    n = units(template.basis, quantity, weight_grams)
    if n <= 0:
        return Money.zero(template.currency)
    amount = max(0, rule.first_minor) + max(0, rule.additional_minor) * (n - 1)
    return Money(amount, template.currency)
