"""Checkout: one submission -> one Payment and one ShopOrder per shop, stock reserved at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from villagemarket.catalog import rules, stock
from villagemarket.catalog.models import SKU
from villagemarket.core.errors import Conflict, Invalid, OutOfStock
from villagemarket.core.money import Money
from villagemarket.core.validation import (
    control_character_message,
    find_control_character,
    parse_db_id,
)
from villagemarket.payments.models import Payment
from villagemarket.payments.services import create_payment
from villagemarket.regions.selectors import ancestors
from villagemarket.shipping.selectors import default_templates, freight_for_shop

from .. import hooks
from ..identity import address_key, clean_device_id
from ..models import Address, CheckoutRequest, ShopOrder, ShopOrderLine
from ..pricing import CheckoutAmounts, PricedLine, price_checkout


@dataclass
class CheckoutResult:
    payment: Payment
    orders: list[ShopOrder]
    replayed: bool = False


def clean_items(items: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Aggregate (sku id, quantity) pairs per SKU; refuse zero, negative, absurd or non-integer
    quantities (catalog's one quantity rule, for each line and for each SKU's total)."""
    totals: dict[int, int] = defaultdict(int)
    errors: dict[str, list[str]] = {}
    for index, (sku_id, quantity) in enumerate(items):
        field = f"items.{index}.quantity"
        pk = parse_db_id(sku_id)
        if pk is None:
            errors[f"items.{index}.sku_id"] = [_("No such item.")]
            continue
        try:
            totals[pk] += rules.check_quantity(quantity, field=field)
        except Invalid as exc:
            errors[field] = [exc.message]
    for sku_id, quantity in totals.items():
        try:  # the same limit for the sum of lines naming one SKU
            rules.check_quantity(quantity, field=f"sku_{sku_id}")
        except Invalid as exc:
            errors[f"sku_{sku_id}"] = [exc.message]
    if errors:
        raise Invalid(_("Some quantities are not acceptable."), fields=errors)
    if not totals:
        raise Invalid(
            _("There is nothing to check out."), fields={"items": [_("The cart is empty.")]}
        )
    return dict(totals)


MAX_NOTE = 200


def clean_notes(notes: Mapping[int, str] | None, shop_ids) -> dict[int, str]:
    """Notes to the sellers by shop id: trimmed, at most MAX_NOTE characters, no control
    characters but line breaks, only for shops in this checkout; Invalid naming `note_<shop>`."""
    cleaned: dict[int, str] = {}
    errors: dict[str, list[str]] = {}
    for shop_id, text in (notes or {}).items():
        text = (text or "").strip()
        field = f"note_{shop_id}"
        if shop_id not in shop_ids:
            errors[field] = [_("This shop is not in the checkout.")]
        elif len(text) > MAX_NOTE:
            errors[field] = [_("At most %(n)d characters.") % {"n": MAX_NOTE}]
        elif (char := find_control_character(text)) is not None:
            errors[field] = [control_character_message(char)]
        elif text:
            cleaned[shop_id] = text
    if errors:
        raise Invalid(_("A note to a seller is not acceptable."), fields=errors)
    return cleaned


def _earlier(buyer, form_token: str) -> CheckoutResult:
    previous = CheckoutRequest.objects.select_related("payment").get(buyer=buyer, key=form_token)
    orders = list(previous.payment.orders.order_by("shop_id", "pk"))
    return CheckoutResult(payment=previous.payment, orders=orders, replayed=True)


def _sellable_skus(quantities: dict[int, int]) -> dict[int, SKU]:
    """The SKUs, refusing the checkout (naming each line) when any is not for sale.

    A SKU that is not for sale (another shop's draft, a delisted product, a suspended shop) is
    described without its title: the buyer may never have been allowed to see it."""
    skus = SKU.objects.select_related("product__shop").in_bulk(list(quantities))
    errors = {}
    for sku_id in quantities:
        sku = skus.get(sku_id)
        if sku is None or not sku.is_for_sale:
            errors[f"sku_{sku_id}"] = [_("An item is no longer available.")]
    if errors:
        raise Conflict(_("Some items are no longer available."), code="not_for_sale", fields=errors)
    return skus


def _reserve_or_refuse(quantities: dict[int, int], skus: dict[int, SKU]) -> None:
    short = stock.reserve(quantities)
    if short:
        fields = {
            f"sku_{sku_id}": [
                _("%(title)s %(variant)s: %(wanted)d wanted, %(left)d left.")
                % {
                    "title": skus[sku_id].product.title,
                    "variant": skus[sku_id].options_label,
                    "wanted": quantities[sku_id],
                    "left": left,
                }
            ]
            for sku_id, left in short.items()
        }
        raise OutOfStock(_("Not enough stock for some items; nothing was reserved."), fields=fields)


def _create_orders(
    buyer,
    address: Address,
    amounts: CheckoutAmounts,
    skus: dict[int, SKU],
    payment: Payment,
    notes: dict[int, str],
    device_id: str = "",
) -> list[ShopOrder]:
    """The shops' orders, then all their lines: two INSERTs whatever the number of shops.

    Each order comes back with its shop and payment set and its lines as `line_list`, so the
    checkout's answer needs no query."""
    orders = []
    region_label = address_region_label(address)
    key = address_key(address.region_id, address.detail)
    for parcel in amounts.shops:
        orders.append(
            ShopOrder(
                buyer=buyer,
                shop=skus[parcel.lines[0].sku_id].product.shop,
                payment=payment,
                goods_minor=parcel.goods.minor,
                freight_minor=parcel.freight.minor,
                total_minor=parcel.total.minor,
                currency=parcel.goods.currency,
                recipient=address.recipient,
                mobile=address.mobile,
                region_code=address.region_id,
                region_label=region_label,
                address_detail=address.detail,
                note_to_seller=notes.get(parcel.shop_id, ""),
                address_key=key,
                device_id=device_id,
            )
        )
    ShopOrder.objects.bulk_create(orders)  # sets each pk (RETURNING) before the lines need it
    created = ShopOrderLine.objects.bulk_create(
        ShopOrderLine(
            order=order,
            sku=skus[line.sku_id],
            product_title=skus[line.sku_id].product.title,
            variant_label=skus[line.sku_id].options_label,
            unit_price_minor=line.unit_price.minor,
            quantity=line.quantity,
            line_total_minor=line.total.minor,
            currency=line.unit_price.currency,
        )
        for order, parcel in zip(orders, amounts.shops, strict=True)
        for line in parcel.lines
    )
    for order in orders:
        order.line_list = [line for line in created if line.order is order]
        hooks.order_event(hooks.OrderEvent(kind=hooks.PLACED, order_id=order.pk))
    return orders


def address_region_label(address: Address) -> str:
    """Province-to-township names of the address, for the snapshot on the order."""
    return " ".join(r.name for r in [*ancestors(address.region), address.region])


def price(skus: dict[int, SKU], quantities: dict[int, int], address: Address | None):
    """The checkout's amounts (orders.pricing) for these SKUs and quantities: freight from each
    shop's default template to the address (unknown without one). Two queries for the templates."""
    lines = [
        PricedLine(
            sku_id=sku_id,
            shop_id=skus[sku_id].product.shop_id,
            unit_price=skus[sku_id].price,
            quantity=quantity,
            weight_grams=skus[sku_id].weight_grams,
        )
        for sku_id, quantity in quantities.items()
        if sku_id in skus
    ]
    if address is None:
        return price_checkout(lines, None)
    templates = default_templates({line.shop_id for line in lines})

    def freight(shop_id: int, quantity: int, weight_grams: int, goods: Money) -> Money | None:
        cost = freight_for_shop(
            shop_id,
            address.province_code,
            quantity=quantity,
            weight_grams=weight_grams,
            goods=goods,
            templates=templates,
        )
        return cost if isinstance(cost, Money) else None

    return price_checkout(lines, freight)


def quote(address: Address | None, quantities: dict[int, int]) -> CheckoutAmounts:
    """What these quantities cost, delivered to `address`, for the checkout page and the API
    quote (reads only; nothing is reserved). SKUs no longer for sale are left out."""
    skus = SKU.objects.for_sale().select_related("product__shop").in_bulk(list(quantities))
    return price(skus, quantities, address)


def place_order(
    *,
    buyer,
    address_id: int,
    items: Iterable[tuple[int, int]],
    notes: Mapping[int, str] | None = None,
    form_token: str = "",
    device_id: str = "",
) -> CheckoutResult:
    """Turn items into one Payment and one ShopOrder per shop, reserving stock in one transaction.

    Prices come from the SKUs, never from the client. Any line that is not for sale or short of
    stock refuses the whole checkout (fields name each line and how many are left) and nothing is
    reserved. `notes` are the buyer's notes to the sellers, by shop id (see clean_notes).

    `form_token` is the checkout page's one-time token (the API uses core.idempotency instead):
    a resubmitted form (double tap, back button) returns the first result (`replayed=True`); a
    concurrent duplicate waits on the token's unique index and then finds the first result.

    `device_id` is the browser's device cookie or the API client's X-Device-Id (orders.device);
    a malformed one is dropped. Anti-brushing compares orders by it.
    """
    quantities = clean_items(items)
    token_taken = False
    try:
        with transaction.atomic():
            request_row = None
            if form_token:
                # Taken first so a duplicate waits here. No savepoint around it: when the token
                # is already used, nothing else has happened yet, and the earlier result is read
                # once this transaction has rolled back.
                request_row = CheckoutRequest.objects.create(buyer=buyer, key=form_token)
            token_taken = True
            payment, orders = _place(
                buyer, address_id, quantities, notes, clean_device_id(device_id)
            )
            if request_row is not None:
                CheckoutRequest.objects.filter(pk=request_row.pk).update(payment=payment)
    except IntegrityError:
        if token_taken or not form_token:  # not the token: a real error
            raise
        return _earlier(buyer, form_token)
    return CheckoutResult(payment=payment, orders=orders)


def _place(
    buyer,
    address_id: int,
    quantities: dict[int, int],
    notes: Mapping[int, str] | None,
    device_id: str = "",
) -> tuple[Payment, list[ShopOrder]]:
    """The body of place_order, inside its transaction."""
    address = Address.objects.select_related("region").filter(pk=address_id, user=buyer).first()
    if address is None:
        raise Invalid(
            _("Choose one of your addresses."), fields={"address_id": [_("No such address.")]}
        )
    skus = _sellable_skus(quantities)
    amounts = price(skus, quantities, address)
    cleaned_notes = clean_notes(notes, {parcel.shop_id for parcel in amounts.shops})
    undelivered = {
        f"shop_{shop_id}": [
            _("%(shop)s does not deliver to this address.")
            % {"shop": skus[amounts.for_shop(shop_id).lines[0].sku_id].product.shop.name}
        ]
        for shop_id in amounts.undelivered
    }
    if undelivered:
        raise Invalid(_("Some shops do not deliver to this address."), fields=undelivered)
    _reserve_or_refuse(quantities, skus)
    payment = create_payment(
        buyer=buyer, amount=amounts.total, description=_("VillageMarket order")
    )
    orders = _create_orders(buyer, address, amounts, skus, payment, cleaned_notes, device_id)
    from villagemarket.cart.services import remove_purchased

    remove_purchased(buyer, list(quantities))
    return payment, orders
