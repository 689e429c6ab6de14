"""Cart reads: lines grouped by shop, with what changed since added (shown, never hidden)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from villagemarket.catalog import rules
from villagemarket.core.money import Money

from .models import Cart, CartLine


@dataclass
class LineView:
    line: CartLine
    problem: str = ""  # why it cannot be bought now; empty when it can
    short: bool = False  # for sale, but fewer left than the quantity: checkout names it

    @property
    def sku(self):
        return self.line.sku

    @property
    def product(self):
        return self.line.sku.product

    @property
    def price(self) -> Money:
        return self.line.sku.price

    @property
    def old_price(self) -> Money | None:
        """The price when it was added, if it has changed since."""
        if self.line.price_when_added != self.line.sku.price:
            return self.line.price_when_added
        return None

    @property
    def total(self) -> Money:
        return self.price * self.line.quantity

    @property
    def thumbnail(self):
        """The product's first image (prefetched with the cart), or None."""
        images = list(self.line.sku.product.images.all())
        return images[0] if images else None

    @property
    def selected(self) -> bool:
        return self.line.selected

    @property
    def buyable(self) -> bool:
        return not self.problem

    @property
    def to_checkout(self) -> bool:
        """Selected and still for sale: goes to checkout."""
        return self.line.selected and self.sellable

    @property
    def sellable(self) -> bool:
        """Still for sale (maybe short of stock): goes to checkout, which refuses naming what is
        left."""
        return not self.problem or self.short


@dataclass
class ShopGroup:
    shop: object
    lines: list[LineView] = field(default_factory=list)

    @property
    def subtotal(self) -> Money:
        """What the selected, buyable lines of this shop cost (before freight)."""
        lines = [lv for lv in self.lines if lv.buyable and lv.selected]
        currency = lines[0].price.currency if lines else "CNY"
        return sum((lv.total for lv in lines), Money.zero(currency))


@dataclass
class CartView:
    cart: Cart | None
    groups: list[ShopGroup]

    @property
    def total(self) -> Money:
        """What the selected, buyable lines cost (before freight)."""
        subtotals = [g.subtotal for g in self.groups if not g.subtotal.is_zero()]
        currency = subtotals[0].currency if subtotals else "CNY"
        return sum(subtotals, Money.zero(currency))

    @property
    def unselected_count(self) -> int:
        return sum(1 for g in self.groups for lv in g.lines if not lv.selected)

    @property
    def count(self) -> int:
        return sum(lv.line.quantity for g in self.groups for lv in g.lines)

    @property
    def has_problems(self) -> bool:
        return any(not lv.buyable for g in self.groups for lv in g.lines)

    def buyable_items(self) -> list[tuple[int, int]]:
        return [
            (lv.line.sku_id, lv.line.quantity)
            for g in self.groups
            for lv in g.lines
            if lv.buyable and lv.selected
        ]

    def checkout_items(self) -> list[tuple[int, int]]:
        """Selected lines still for sale, including those short of stock (checkout refuses them
        by name). Unselected lines stay in the cart."""
        return [
            (lv.line.sku_id, lv.line.quantity)
            for g in self.groups
            for lv in g.lines
            if lv.to_checkout
        ]


def _problem_without_stock(line: CartLine) -> str:
    refusal = line.sku.sale_refusal  # catalog's one rule of what is for sale
    if refusal == rules.SHOP_NOT_SELLING:
        return str(_("The shop is not selling at the moment."))
    if refusal:
        return str(_("No longer sold."))
    return ""


def _problem(line: CartLine) -> str:
    sku = line.sku
    if problem := _problem_without_stock(line):
        return problem
    if sku.stock <= 0:
        return str(_("Sold out."))
    if line.quantity > sku.stock:
        return str(_("Only %(left)d left: lower the quantity.") % {"left": sku.stock})
    return ""


def cart_view(cart: Cart | None) -> CartView:
    """The cart grouped by shop (shop name order), each line with its problem if any."""
    if cart is None:
        return CartView(cart=None, groups=[])
    lines = (
        CartLine.objects.filter(cart=cart)
        .select_related("sku__product__shop")
        .prefetch_related("sku__product__images")
        .order_by("added_at", "id")
    )
    groups: dict[int, ShopGroup] = {}
    for line in lines:
        shop = line.sku.product.shop
        problem = _problem(line)
        short = (
            bool(problem) and line.sku.stock < line.quantity and _problem_without_stock(line) == ""
        )
        groups.setdefault(shop.pk, ShopGroup(shop=shop)).lines.append(
            LineView(line=line, problem=problem, short=short)
        )
    return CartView(
        cart=cart, groups=sorted(groups.values(), key=lambda g: (g.shop.name, g.shop.pk))
    )
