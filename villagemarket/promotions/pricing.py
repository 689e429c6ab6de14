"""Pricing a cart under promotions: pure (no ORM), dataclasses in, dataclasses out.

`quote(lines, sale_prices, spend_saves, coupons)` takes each saving in the stacking order of
`rules.STACKING`, picks the best of each step (the biggest saving; ties by the smaller coupon,
then the lowest id, so the bigger coupon is kept for another day), and allocates every saving
to the lines it covers, exactly to the fen:

- a saving is split in proportion to what each covered line still costs at that step; the fen
  left after the integer parts go to the largest remainders, ties to the larger line amount,
  then to the smaller SKU id (deterministic, independent of input order);
- a saving never exceeds what its lines still cost, so no line goes below zero;
- each line keeps its share of every saving (`Share`: promotion key, kind, funder), so a refund
  of some units returns the right part of each (`refund_share`) and the ledger knows who pays.

Choosing greedily step by step is the best combination: every threshold is compared with the
goods amount at sale prices, so no choice makes a later promotion unreachable, and a later
saving is capped only by what is left, which one fen taken earlier lowers by at most one fen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from villagemarket.core.money import Money

from . import rules
from .rules import (
    PLATFORM,
    PLATFORM_COUPON,
    PLATFORM_SPEND_SAVE,
    SALE_PRICE,
    SHOP,
    SHOP_COUPON,
    SHOP_SPEND_SAVE,
    Tier,
)


@dataclass(frozen=True)
class CartLine:
    """One SKU of the cart at its list price. `excluded`: kinds this line takes no part in
    (e.g. its shop is not in the festival); the caller decides, pricing obeys."""

    sku_id: int
    shop_id: int
    unit_price: Money
    quantity: int
    excluded: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SalePriceOffer:
    """A SKU at `price` for `units_left` more units (None: no quantity cap)."""

    id: int
    sku_id: int
    price: Money
    units_left: int | None = None


@dataclass(frozen=True)
class SpendSaveOffer:
    """满减. A shop's (`funder` SHOP, `shop_id` set) or the platform's across `shop_ids`
    (None: every shop). Tiers: the highest reached applies; `every`: the one tier repeats for
    every full threshold, up to `max_save`. `budget_left`: what its budget still allows."""

    id: int
    funder: str
    tiers: tuple[Tier, ...]
    shop_id: int | None = None
    shop_ids: frozenset[int] | None = None
    every: bool = False
    max_save: Money | None = None
    budget_left: Money | None = None

    @property
    def kind(self) -> str:
        return SHOP_SPEND_SAVE if self.funder == SHOP else PLATFORM_SPEND_SAVE

    def saving_for(self, base: int) -> int:
        """The saving (fen) a goods amount of `base` fen reaches, before caps."""
        if self.every:
            tier = self.tiers[0]
            saving = (base // tier.threshold_minor) * tier.save_minor
            if self.max_save is not None:
                saving = min(saving, self.max_save.minor)
            return saving
        reached = [t.save_minor for t in self.tiers if base >= t.threshold_minor]
        return max(reached, default=0)


@dataclass(frozen=True)
class CouponOffer:
    """A claimed coupon the buyer may use: `amount` off goods of at least `threshold`."""

    claim_id: int
    coupon_id: int
    funder: str
    amount: Money
    threshold: Money
    shop_id: int | None = None
    budget_left: Money | None = None

    @property
    def kind(self) -> str:
        return SHOP_COUPON if self.funder == SHOP else PLATFORM_COUPON


@dataclass(frozen=True)
class Share:
    """A line's part of one saving."""

    key: str
    kind: str
    funder: str
    amount: Money


@dataclass(frozen=True)
class LineQuote:
    sku_id: int
    shop_id: int
    quantity: int
    unit_price: Money
    list_amount: Money
    shares: tuple[Share, ...]
    paid: Money

    @property
    def discount(self) -> Money:
        return self.list_amount - self.paid

    def funded_by(self, funder: str) -> Money:
        return sum(
            (s.amount for s in self.shares if s.funder == funder), Money.zero(self.paid.currency)
        )


@dataclass(frozen=True)
class Saving:
    """One promotion taken: its key (`<kind>:<id>`), who funds it and how much it saves."""

    key: str
    kind: str
    funder: str
    promotion_id: int
    amount: Money
    shop_id: int | None = None
    claim_id: int | None = None


@dataclass(frozen=True)
class ShopQuote:
    shop_id: int
    list_amount: Money
    discount: Money
    paid: Money
    lines: tuple[LineQuote, ...]


@dataclass(frozen=True)
class Quote:
    lines: tuple[LineQuote, ...]
    shops: tuple[ShopQuote, ...]
    savings: tuple[Saving, ...]
    list_total: Money
    discount_total: Money
    total: Money

    def funded_by(self, funder: str) -> Money:
        return sum((s.amount for s in self.savings if s.funder == funder), self.total * 0)


@dataclass
class _Work:
    line: CartLine
    base: int  # goods amount at sale prices: what thresholds compare with
    remaining: int  # what the line still costs at this step
    excluded: set[str]
    shares: list[Share] = field(default_factory=list)

    def takes(self, kind: str) -> bool:
        return kind not in self.excluded


def allocate(amount: int, lines: list[_Work]) -> list[int]:
    """Split `amount` fen over `lines` in proportion to what each still costs, exactly."""
    total = sum(w.remaining for w in lines)
    if amount > total or amount < 0:
        raise ValueError("a saving cannot exceed what its lines cost")
    if amount == 0:
        return [0] * len(lines)
    parts = [amount * w.remaining // total for w in lines]
    order = sorted(
        range(len(lines)),
        key=lambda i: (
            -((amount * lines[i].remaining) % total),
            -lines[i].remaining,
            lines[i].line.sku_id,
        ),
    )
    for i in order[: amount - sum(parts)]:
        parts[i] += 1
    return parts


def _take(
    saving_key: str, kind: str, funder: str, amount: int, scope: list[_Work], currency: str
) -> None:
    for work, part in zip(scope, allocate(amount, scope), strict=True):
        if part:
            work.remaining -= part
            work.shares.append(Share(saving_key, kind, funder, Money(part, currency)))


def _capped(nominal: int, budget_left: Money | None, scope: list[_Work]) -> int:
    cap = sum(w.remaining for w in scope)
    if budget_left is not None:
        cap = min(cap, max(budget_left.minor, 0))
    return max(0, min(nominal, cap))


def _validate(lines: list[CartLine]) -> str:
    if not lines:
        raise ValueError("a quote needs at least one line")
    seen: set[int] = set()
    currency = lines[0].unit_price.currency
    for line in lines:
        if line.sku_id in seen:
            raise ValueError(f"SKU {line.sku_id} appears twice; merge its lines")
        seen.add(line.sku_id)
        if line.quantity < 1 or line.unit_price.minor < 0:
            raise ValueError("quantities are at least 1 and prices not negative")
        if line.unit_price.currency != currency:
            raise ValueError("one quote, one currency")
    return currency


def _apply_sale_prices(works: list[_Work], offers: Iterable[SalePriceOffer], savings: list):
    best: dict[int, SalePriceOffer] = {}
    for offer in sorted(offers, key=lambda o: (o.price.minor, o.id)):
        best.setdefault(offer.sku_id, offer)
    for work in works:
        offer = best.get(work.line.sku_id)
        if offer is None or not work.takes(SALE_PRICE):
            continue
        cut = work.line.unit_price.minor - offer.price.minor
        units = work.line.quantity
        if offer.units_left is not None:
            units = min(units, max(offer.units_left, 0))
        if cut <= 0 or units == 0:
            continue
        amount = cut * units
        key = f"{SALE_PRICE}:{offer.id}"
        currency = work.line.unit_price.currency
        work.base -= amount
        work.remaining -= amount
        work.shares.append(Share(key, SALE_PRICE, SHOP, Money(amount, currency)))
        work.excluded |= rules.EXCLUDES.get(SALE_PRICE, frozenset())
        savings.append(
            Saving(key, SALE_PRICE, SHOP, offer.id, Money(amount, currency), work.line.shop_id)
        )


def _best_spend_save(offers, scope_of, currency, savings, shop_id=None) -> None:
    """Take the best one of `offers` (each measured on its own scope)."""
    choice = None
    for offer in sorted(offers, key=lambda o: o.id):
        scope = scope_of(offer)
        if not scope:
            continue
        nominal = offer.saving_for(sum(w.base for w in scope))
        amount = _capped(nominal, offer.budget_left, scope)
        if amount and (choice is None or amount > choice[0]):
            choice = (amount, offer, scope)
    if choice:
        amount, offer, scope = choice
        key = f"{offer.kind}:{offer.id}"
        _take(key, offer.kind, offer.funder, amount, scope, currency)
        savings.append(
            Saving(key, offer.kind, offer.funder, offer.id, Money(amount, currency), shop_id)
        )


def _best_coupon(coupons, scope, currency, savings, shop_id=None) -> None:
    if not scope:
        return
    base = sum(w.base for w in scope)
    choice = None
    for coupon in coupons:
        if base < coupon.threshold.minor:
            continue
        amount = _capped(coupon.amount.minor, coupon.budget_left, scope)
        rank = (-amount, coupon.amount.minor, coupon.claim_id)
        if amount and (choice is None or rank < choice[0]):
            choice = (rank, amount, coupon)
    if choice:
        _rank, amount, coupon = choice
        key = f"{coupon.kind}:{coupon.coupon_id}"
        _take(key, coupon.kind, coupon.funder, amount, scope, currency)
        savings.append(
            Saving(
                key,
                coupon.kind,
                coupon.funder,
                coupon.coupon_id,
                Money(amount, currency),
                shop_id,
                coupon.claim_id,
            )
        )


def quote(
    lines: Iterable[CartLine],
    sale_prices: Iterable[SalePriceOffer] = (),
    spend_saves: Iterable[SpendSaveOffer] = (),
    coupons: Iterable[CouponOffer] = (),
) -> Quote:
    """The best allowed combination of promotions for these lines, allocated exactly."""
    ordered = sorted(lines, key=lambda line: line.sku_id)
    currency = _validate(ordered)
    works = [
        _Work(
            line,
            line.unit_price.minor * line.quantity,
            line.unit_price.minor * line.quantity,
            set(line.excluded),
        )
        for line in ordered
    ]
    shop_ids = sorted({w.line.shop_id for w in works})
    spend_saves, coupons = list(spend_saves), list(coupons)
    savings: list[Saving] = []

    _apply_sale_prices(works, sale_prices, savings)
    for shop_id in shop_ids:
        in_shop = [w for w in works if w.line.shop_id == shop_id]
        _best_spend_save(
            [o for o in spend_saves if o.funder == SHOP and o.shop_id == shop_id],
            lambda _o, in_shop=in_shop: [w for w in in_shop if w.takes(SHOP_SPEND_SAVE)],
            currency,
            savings,
            shop_id,
        )
        _best_coupon(
            [c for c in coupons if c.funder == SHOP and c.shop_id == shop_id],
            [w for w in in_shop if w.takes(SHOP_COUPON)],
            currency,
            savings,
            shop_id,
        )
    _best_spend_save(
        [o for o in spend_saves if o.funder == PLATFORM],
        lambda o: [
            w
            for w in works
            if w.takes(PLATFORM_SPEND_SAVE) and (o.shop_ids is None or w.line.shop_id in o.shop_ids)
        ],
        currency,
        savings,
    )
    _best_coupon(
        [c for c in coupons if c.funder == PLATFORM],
        [w for w in works if w.takes(PLATFORM_COUPON)],
        currency,
        savings,
    )
    return _assemble(works, savings, currency)


def _assemble(works: list[_Work], savings: list[Saving], currency: str) -> Quote:
    line_quotes = tuple(
        LineQuote(
            sku_id=w.line.sku_id,
            shop_id=w.line.shop_id,
            quantity=w.line.quantity,
            unit_price=w.line.unit_price,
            list_amount=w.line.unit_price * w.line.quantity,
            shares=tuple(w.shares),
            paid=Money(w.remaining, currency),
        )
        for w in works
    )
    zero = Money.zero(currency)
    shops = []
    for shop_id in sorted({q.shop_id for q in line_quotes}):
        mine = tuple(q for q in line_quotes if q.shop_id == shop_id)
        listed = sum((q.list_amount for q in mine), zero)
        paid = sum((q.paid for q in mine), zero)
        shops.append(ShopQuote(shop_id, listed, listed - paid, paid, mine))
    listed = sum((q.list_amount for q in line_quotes), zero)
    paid = sum((q.paid for q in line_quotes), zero)
    ordered_savings = tuple(
        sorted(savings, key=lambda s: (rules.ORDER[s.kind], s.shop_id or 0, s.promotion_id))
    )
    return Quote(line_quotes, tuple(shops), ordered_savings, listed, listed - paid, paid)


@dataclass(frozen=True)
class RefundShare:
    """What returning `units` of a line gives back: `amount` to the buyer, and the part of each
    saving that goes back to its funder's books (`shares`); `list_amount` = amount + shares."""

    amount: Money
    list_amount: Money
    shares: tuple[Share, ...]


def _slice(total: int, quantity: int, done: int, units: int) -> int:
    # Cumulative floors: the first n units are worth total*n//quantity, so any sequence of
    # partial refunds that ends with every unit returns exactly `total`.
    return total * (done + units) // quantity - total * done // quantity


def refund_share(line: LineQuote, units: int, already_refunded: int = 0) -> RefundShare:
    """The exact share of `units` more units of `line`, after `already_refunded` units."""
    if units < 1 or already_refunded < 0 or already_refunded + units > line.quantity:
        raise ValueError("refund between 1 unit and the units not yet refunded")
    currency = line.paid.currency
    amount = _slice(line.paid.minor, line.quantity, already_refunded, units)
    shares = tuple(
        Share(
            s.key,
            s.kind,
            s.funder,
            Money(_slice(s.amount.minor, line.quantity, already_refunded, units), currency),
        )
        for s in line.shares
    )
    listed = amount + sum(s.amount.minor for s in shares)
    return RefundShare(Money(amount, currency), Money(listed, currency), shares)
