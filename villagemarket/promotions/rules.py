"""Promotion rules as data: the kinds, who funds each, the order they stack in, which exclude
which, and the checks a new promotion must pass. Pure (no ORM): `services.py` applies them when a
seller or an operator saves a promotion, `pricing.py` when it prices a cart, and
docs/promotions.md prints the same table for operators.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SHOP = "shop"
PLATFORM = "platform"

SALE_PRICE = "sale_price"
SHOP_SPEND_SAVE = "shop_spend_save"
SHOP_COUPON = "shop_coupon"
PLATFORM_SPEND_SAVE = "platform_spend_save"
PLATFORM_COUPON = "platform_coupon"


@dataclass(frozen=True)
class StackStep:
    """One kind of promotion in the stacking order.

    scope: what its threshold and its saving are measured on ("line", "shop order" or "cart");
    at_most: how many of this kind one scope takes (one 满减 per shop order, one coupon of each
    funder per shop order, one platform coupon per checkout).
    """

    kind: str
    funder: str
    scope: str
    at_most: int
    label: object


# The order savings are taken in, first to last. Every threshold is compared with the goods
# amount at sale prices (before any 满减 or coupon), so taking one saving never makes another
# unreachable: adding an item to a cart never lowers its saving (docs/promotions.md).
STACKING: tuple[StackStep, ...] = (
    StackStep(SALE_PRICE, SHOP, "line", 1, gettext_lazy("SKU sale price")),
    StackStep(SHOP_SPEND_SAVE, SHOP, "shop order", 1, gettext_lazy("Shop spend-and-save")),
    StackStep(SHOP_COUPON, SHOP, "shop order", 1, gettext_lazy("Shop coupon")),
    StackStep(PLATFORM_SPEND_SAVE, PLATFORM, "cart", 1, gettext_lazy("Cross-shop spend-and-save")),
    StackStep(PLATFORM_COUPON, PLATFORM, "cart", 1, gettext_lazy("Platform coupon")),
)
ORDER = {step.kind: n for n, step in enumerate(STACKING)}
FUNDER = {step.kind: step.funder for step in STACKING}
LABELS = {step.kind: step.label for step in STACKING}

# A line that took the key's saving neither counts toward nor shares in the kinds listed:
# goods already at a sale price stay out of the shop's own 满减 (the shop funds both; the sale
# price is its deepest cut), and still count for coupons and the platform's promotions.
EXCLUDES: dict[str, frozenset[str]] = {
    SALE_PRICE: frozenset({SHOP_SPEND_SAVE}),
}

MAX_TIERS = 5
MAX_WINDOW = timedelta(days=90)
MAX_AMOUNT_MINOR = 10**11  # ¥1,000,000,000: beyond any promotion
MAX_PER_BUYER = 10
MAX_QUANTITY = 10_000_000


class RuleViolation(ValueError):
    """A promotion breaks a rule: `fields` maps each field to its reasons."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items()))
        self.fields = fields


@dataclass(frozen=True)
class Tier:
    """Spend at least `threshold_minor`, save `save_minor`."""

    threshold_minor: int
    save_minor: int


def window_problems(starts_at: datetime | None, ends_at: datetime | None) -> dict:
    problems: dict[str, list[str]] = {}
    if starts_at is None:
        problems["starts_at"] = [_("Give a start time.")]
    if ends_at is None:
        problems["ends_at"] = [_("Give an end time.")]
    if starts_at and ends_at:
        if ends_at <= starts_at:
            problems["ends_at"] = [_("The end must be after the start.")]
        elif ends_at - starts_at > MAX_WINDOW:
            problems["ends_at"] = [_("A promotion runs at most 90 days.")]
    return problems


def windows_overlap(a_start, a_end, b_start, b_end) -> bool:
    """Half-open windows [start, end) share an instant."""
    return a_start < b_end and b_start < a_end


def _amount_problem(value: int | None, *, allow_zero: bool = False) -> str | None:
    if value is None:
        return _("Give an amount.")
    if value < 0 or (value == 0 and not allow_zero):
        return _("The amount must be more than 0.")
    if value > MAX_AMOUNT_MINOR:
        return _("The amount is too large.")
    return None


def coupon_problems(
    *,
    amount_minor: int | None,
    threshold_minor: int | None,
    total_quantity: int | None,
    per_buyer_limit: int | None,
    budget_minor: int | None,
) -> dict:
    """A coupon takes a fixed amount off an order of at least `threshold_minor`."""
    problems: dict[str, list[str]] = {}
    if problem := _amount_problem(amount_minor):
        problems["amount"] = [problem]
    if problem := _amount_problem(threshold_minor):
        problems["threshold"] = [problem]
    elif amount_minor and threshold_minor <= amount_minor:
        problems["threshold"] = [_("The minimum spend must be more than the amount off.")]
    if total_quantity is not None and not 1 <= total_quantity <= MAX_QUANTITY:
        problems["total_quantity"] = [_("Between 1 and 10,000,000 coupons.")]
    if per_buyer_limit is None or not 1 <= per_buyer_limit <= MAX_PER_BUYER:
        problems["per_buyer_limit"] = [_("Between 1 and 10 per buyer.")]
    if total_quantity is None and budget_minor is None:
        problems["total_quantity"] = [_("Give a quantity or a budget (or both).")]
    if budget_minor is not None and (problem := _amount_problem(budget_minor)):
        problems["budget"] = [problem]
    elif budget_minor is not None and amount_minor and budget_minor < amount_minor:
        problems["budget"] = [_("The budget must cover at least one coupon.")]
    return problems


def tier_problems(tiers: list[Tier], *, every: bool) -> dict:
    """满减 tiers: each threshold more than its saving, and higher tiers save strictly more
    (else a bigger cart could save less). "Every full X" has exactly one tier."""
    if not tiers:
        return {"tiers": [_("Give at least one tier (spend X, save Y).")]}
    if len(tiers) > MAX_TIERS:
        return {"tiers": [_("At most 5 tiers.")]}
    if every and len(tiers) != 1:
        return {"tiers": [_("“Every full X” takes exactly one tier.")]}
    for tier in tiers:
        problem = _amount_problem(tier.save_minor) or _amount_problem(tier.threshold_minor)
        if problem:
            return {"tiers": [problem]}
        if tier.threshold_minor <= tier.save_minor:
            return {"tiers": [_("Each threshold must be more than its saving.")]}
    ordered = sorted(tiers, key=lambda t: t.threshold_minor)
    for low, high in zip(ordered, ordered[1:], strict=False):
        if high.threshold_minor == low.threshold_minor:
            return {"tiers": [_("Two tiers have the same threshold.")]}
        if high.save_minor <= low.save_minor:
            return {"tiers": [_("A higher threshold must save more.")]}
    return {}


def sale_price_problems(
    *, price_minor: int | None, list_price_minor: int, quantity_limit: int | None
) -> dict:
    problems: dict[str, list[str]] = {}
    if problem := _amount_problem(price_minor):
        problems["price"] = [problem]
    elif price_minor >= list_price_minor:
        problems["price"] = [_("The sale price must be below the SKU's price.")]
    if quantity_limit is not None and not 1 <= quantity_limit <= MAX_QUANTITY:
        problems["quantity_limit"] = [_("Between 1 and 10,000,000 units.")]
    return problems
