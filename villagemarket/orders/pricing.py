"""What a checkout costs, as one pure computation (no ORM): goods per shop, freight per shop and
the total to pay.

The checkout page, the API quote and the amount charged by `place_order` all call `price_checkout`,
so the figure a buyer sees is the figure the payment asks for. Freight comes from a function the
caller passes (shipping's templates, already loaded), so this module reads nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from villagemarket.core.money import Money


@dataclass(frozen=True)
class PricedLine:
    """One SKU of the checkout with the facts pricing needs (the price is the SKU's, never the
    client's)."""

    sku_id: int
    shop_id: int
    unit_price: Money
    quantity: int
    weight_grams: int = 0

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class ShopAmounts:
    """One shop's parcel: its goods and freight (None when the shop does not deliver there)."""

    shop_id: int
    lines: tuple[PricedLine, ...]
    goods: Money
    freight: Money | None

    @property
    def delivers(self) -> bool:
        return self.freight is not None

    @property
    def total(self) -> Money | None:
        return None if self.freight is None else self.goods + self.freight

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def weight_grams(self) -> int:
        return sum(line.weight_grams * line.quantity for line in self.lines)


@dataclass(frozen=True)
class CheckoutAmounts:
    """Every shop's amounts in shop id order, and what the buyer pays in all."""

    shops: tuple[ShopAmounts, ...] = field(default_factory=tuple)

    def for_shop(self, shop_id: int) -> ShopAmounts | None:
        return next((s for s in self.shops if s.shop_id == shop_id), None)

    @property
    def all_deliver(self) -> bool:
        return bool(self.shops) and all(s.delivers for s in self.shops)

    @property
    def undelivered(self) -> list[int]:
        return [s.shop_id for s in self.shops if not s.delivers]

    @property
    def goods(self) -> Money:
        return _sum((s.goods for s in self.shops), self.currency)

    @property
    def currency(self) -> str:
        return self.shops[0].goods.currency if self.shops else "CNY"

    @property
    def freight(self) -> Money:
        return _sum((s.freight for s in self.shops if s.freight is not None), self.currency)

    @property
    def total(self) -> Money:
        """Goods plus the freight known so far (all of it, for a checkout that can be placed)."""
        return self.goods + self.freight


# Freight of one shop's parcel: (shop id, quantity, weight in grams, goods) -> Money, or None
# when the shop does not deliver to the address.
FreightRule = Callable[[int, int, int, Money], "Money | None"]


def _sum(amounts: Iterable[Money], currency: str) -> Money:
    return sum(amounts, Money.zero(currency))


def price_checkout(lines: Iterable[PricedLine], freight: FreightRule | None) -> CheckoutAmounts:
    """Group `lines` by shop and price each parcel. With `freight=None` (no address chosen yet)
    every shop's freight is unknown (None) and the total is goods only."""
    by_shop: dict[int, list[PricedLine]] = {}
    for line in sorted(lines, key=lambda x: (x.shop_id, x.sku_id)):
        by_shop.setdefault(line.shop_id, []).append(line)
    shops = []
    for shop_id, shop_lines in by_shop.items():
        goods = _sum((line.total for line in shop_lines), shop_lines[0].unit_price.currency)
        parcel = ShopAmounts(shop_id=shop_id, lines=tuple(shop_lines), goods=goods, freight=None)
        if freight is not None:
            cost = freight(shop_id, parcel.quantity, parcel.weight_grams, goods)
            parcel = ShopAmounts(shop_id=shop_id, lines=parcel.lines, goods=goods, freight=cost)
        shops.append(parcel)
    return CheckoutAmounts(shops=tuple(shops))
