"""Cart use-cases: add, change, remove, merge at sign-in. Quantities are limited by stock."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from villagemarket.catalog import rules
from villagemarket.catalog.models import SKU
from villagemarket.core.errors import Conflict, Invalid, NotFound, OutOfStock

from .models import Cart, CartLine


def _sellable_sku(sku_id) -> SKU:
    sku = (
        SKU.objects.select_related("product__shop").filter(pk=sku_id).first()
        if str(sku_id).isdigit() and int(sku_id) < 2**63
        else None
    )
    if sku is None:
        raise Invalid(_("No such item."), fields={"sku_id": [_("No such item.")]})
    if not sku.is_for_sale:
        raise Conflict(
            _("This item is not for sale."),
            code="not_for_sale",
            fields={"sku_id": [_("Not for sale.")]},
        )
    return sku


def _limit(sku: SKU, quantity: int) -> None:
    if quantity > sku.stock:
        raise OutOfStock(
            _("Only %(left)d left of %(title)s.") % {"left": sku.stock, "title": sku.product.title},
            fields={"quantity": [_("At most %(left)d.") % {"left": sku.stock}]},
        )


def cart_for_user(user) -> Cart:
    """The signed-in buyer's cart (created on first use)."""
    # Nearly every call finds the cart: one plain SELECT, no transaction round trips.
    cart = Cart.objects.filter(user=user).first()
    if cart is not None:
        return cart
    try:
        with transaction.atomic():
            cart, _created = Cart.objects.get_or_create(user=user)
    except IntegrityError:  # two first requests at once: the other one created it
        cart = Cart.objects.get(user=user)
    return cart


def add_to_cart(*, cart: Cart, sku_id, quantity) -> CartLine:
    """Add units of a SKU (adding to an existing line); refuse more than the stock."""
    quantity = rules.check_quantity(quantity)
    sku = _sellable_sku(sku_id)
    with transaction.atomic():
        line = CartLine.objects.select_for_update().filter(cart=cart, sku=sku).first()
        total = quantity + (line.quantity if line else 0)
        rules.check_quantity(total)
        _limit(sku, total)
        if line is None:
            line = CartLine.objects.create(
                cart=cart,
                sku=sku,
                quantity=total,
                price_when_added_minor=sku.price_minor,
                price_when_added_currency=sku.currency,
            )
        else:
            CartLine.objects.filter(pk=line.pk).update(quantity=total)
            line.quantity = total
        return line


def set_quantity(*, cart: Cart, sku_id, quantity) -> CartLine | None:
    """Set a line's quantity (0 removes it). Lowering is always allowed, even for delisted items."""
    quantity = rules.check_quantity(quantity, allow_zero=True)
    with transaction.atomic():
        line = (
            CartLine.objects.select_for_update()
            .select_related("sku__product")
            .filter(cart=cart, sku_id=sku_id)
            .first()
        )
        if line is None:
            raise NotFound(_("This item is not in the cart."))
        if quantity == 0:
            line.delete()
            return None
        if quantity > line.quantity:
            _limit(_sellable_sku(line.sku_id), quantity)
        CartLine.objects.filter(pk=line.pk).update(quantity=quantity)
        line.quantity = quantity
        return line


def select_lines(*, cart: Cart, selected: bool, sku_ids: Iterable[int] | None = None) -> int:
    """Tick (or untick) lines for checkout: the given SKUs, or every line when `sku_ids` is None.
    Unticked lines stay in the cart after a checkout. Returns how many lines changed."""
    lines = CartLine.objects.filter(cart=cart)
    if sku_ids is not None:
        ids = list(sku_ids)
        found = set(lines.filter(sku_id__in=ids).values_list("sku_id", flat=True))
        missing = [sku_id for sku_id in ids if sku_id not in found]
        if missing:
            raise NotFound(
                _("This item is not in the cart."),
                fields={
                    "sku_ids": [
                        _("Not in the cart: %(ids)s")
                        % {"ids": ", ".join(str(i) for i in missing[:5])}
                    ]
                },
            )
        lines = lines.filter(sku_id__in=ids)
    with transaction.atomic():
        return lines.exclude(selected=selected).update(selected=selected)


def remove_line(*, cart: Cart, sku_id) -> None:
    """Take a SKU out of the cart."""
    with transaction.atomic():
        deleted, _detail = CartLine.objects.filter(cart=cart, sku_id=sku_id).delete()
        if not deleted:
            raise NotFound(_("This item is not in the cart."))


def clear_cart(*, cart: Cart) -> None:
    """Empty the cart."""
    with transaction.atomic():
        CartLine.objects.filter(cart=cart).delete()


def merge_carts(*, source: Cart, target: Cart) -> None:
    """Move an anonymous cart's lines into the buyer's cart at sign-in, then delete it.

    Quantities of the same SKU add up, capped by the current stock and the line maximum (a
    merge never fails: the cart page shows what is short).
    """
    if source.pk == target.pk:
        return
    with transaction.atomic():
        existing = {
            line.sku_id: line for line in CartLine.objects.select_for_update().filter(cart=target)
        }
        for line in CartLine.objects.select_related("sku").filter(cart=source).order_by("sku_id"):
            mine = existing.get(line.sku_id)
            wanted = line.quantity + (mine.quantity if mine else 0)
            room = max(line.sku.stock, mine.quantity if mine else 1)
            capped = max(1, min(wanted, rules.MAX_LINE_QUANTITY, room))
            if mine:
                CartLine.objects.filter(pk=mine.pk).update(quantity=capped)
            else:
                CartLine.objects.create(
                    cart=target,
                    sku_id=line.sku_id,
                    quantity=capped,
                    price_when_added_minor=line.price_when_added_minor,
                    price_when_added_currency=line.price_when_added_currency,
                    selected=line.selected,
                )
        source.delete()


def remove_purchased(user, sku_ids: list[int]) -> None:
    """Checkout bought these SKUs: drop them from the buyer's cart (in checkout's transaction)."""
    CartLine.objects.filter(cart__user=user, sku_id__in=sku_ids).delete()
