"""Checkout: one submission -> one Payment and one ShopOrder per shop, stock reserved at once."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from villagemarket.cart.models import MAX_LINE_QUANTITY
from villagemarket.catalog.models import SKU, ProductStatus
from villagemarket.core.errors import Conflict, Invalid, OutOfStock
from villagemarket.core.money import Money
from villagemarket.payments.models import Payment
from villagemarket.payments.services import create_payment
from villagemarket.regions.selectors import ancestors
from villagemarket.shipping.selectors import default_templates, freight_for_shop
from villagemarket.shops.models import ShopStatus

from .. import stock
from ..models import Address, CheckoutRequest, ShopOrder, ShopOrderLine


@dataclass
class CheckoutResult:
    payment: Payment
    orders: list[ShopOrder]
    replayed: bool = False


def clean_items(items: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Aggregate (sku id, quantity) pairs per SKU; refuse zero, negative, absurd or non-integer
    quantities."""
    totals: dict[int, int] = defaultdict(int)
    errors: dict[str, list[str]] = {}
    for index, (sku_id, quantity) in enumerate(items):
        if (
            not isinstance(quantity, int)
            or isinstance(quantity, bool)
            or not 1 <= quantity <= MAX_LINE_QUANTITY
        ):
            errors[f"items.{index}.quantity"] = [
                _("Quantity must be a whole number from 1 to %(max)d.") % {"max": MAX_LINE_QUANTITY}
            ]
            continue
        totals[int(sku_id)] += quantity
    for sku_id, quantity in totals.items():
        if quantity > MAX_LINE_QUANTITY:
            errors[f"sku_{sku_id}"] = [
                _("At most %(max)d of one item per order.") % {"max": MAX_LINE_QUANTITY}
            ]
    if errors:
        raise Invalid(_("Some quantities are not acceptable."), fields=errors)
    if not totals:
        raise Invalid(
            _("There is nothing to check out."), fields={"items": [_("The cart is empty.")]}
        )
    return dict(totals)


def _fingerprint(address_id: int, quantities: dict[int, int]) -> str:
    body = json.dumps({"address": address_id, "items": sorted(quantities.items())})
    return hashlib.sha256(body.encode()).hexdigest()


def _replay(buyer, key: str, fingerprint: str) -> CheckoutResult:
    previous = CheckoutRequest.objects.select_related("payment").get(buyer=buyer, key=key)
    if previous.fingerprint != fingerprint:
        raise Conflict(
            _("This Idempotency-Key was already used for a different checkout."),
            code="idempotency_key_reused",
            fields={"Idempotency-Key": [_("Use a new key for a new checkout.")]},
        )
    orders = list(previous.payment.orders.order_by("shop_id", "pk"))
    return CheckoutResult(payment=previous.payment, orders=orders, replayed=True)


def _sellable_skus(quantities: dict[int, int]) -> dict[int, SKU]:
    """The SKUs, refusing the checkout (naming each line) when any is not for sale."""
    skus = SKU.objects.select_related("product", "product__shop").in_bulk(list(quantities))
    errors = {}
    for sku_id in quantities:
        sku = skus.get(sku_id)
        if sku is None:
            errors[f"sku_{sku_id}"] = [_("This item does not exist.")]
        elif (
            not sku.is_active
            or sku.product.status != ProductStatus.PUBLISHED
            or sku.product.shop.status != ShopStatus.ACTIVE
        ):
            errors[f"sku_{sku_id}"] = [
                _("%(title)s is no longer sold.") % {"title": sku.product.title}
            ]
    if errors:
        raise Conflict(_("Some items are no longer sold."), code="not_for_sale", fields=errors)
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
    buyer, address: Address, by_shop: dict, freights: dict, payment: Payment
) -> list[ShopOrder]:
    """The shops' orders, then all their lines: two INSERTs whatever the number of shops.

    Each order comes back with its shop and payment set and its lines as `line_list`, so the
    checkout's answer needs no query."""
    orders = []
    region_label = address_region_label(address)
    for shop_id in sorted(by_shop):
        lines = by_shop[shop_id]
        goods = _goods(lines)
        freight = freights[shop_id]
        order = ShopOrder(
            buyer=buyer,
            shop=lines[0][0].product.shop,
            payment=payment,
            goods_minor=goods.minor,
            freight_minor=freight.minor,
            total_minor=(goods + freight).minor,
            currency=goods.currency,
            recipient=address.recipient,
            mobile=address.mobile,
            region_code=address.region_id,
            region_label=region_label,
            address_detail=address.detail,
        )
        orders.append(order)
    ShopOrder.objects.bulk_create(orders)  # sets each pk (RETURNING) before the lines need it
    created = ShopOrderLine.objects.bulk_create(
        ShopOrderLine(
            order=order,
            sku=sku,
            product_title=sku.product.title,
            variant_label=sku.options_label,
            unit_price_minor=sku.price_minor,
            quantity=qty,
            line_total_minor=sku.price_minor * qty,
            currency=sku.currency,
        )
        for order in orders
        for sku, qty in by_shop[order.shop_id]
    )
    for order in orders:
        order.line_list = [line for line in created if line.order is order]
    return orders


def address_region_label(address: Address) -> str:
    """Province-to-township names of the address, for the snapshot on the order."""
    return " ".join(r.name for r in [*ancestors(address.region), address.region])


def quote(buyer, address: Address, quantities: dict[int, int]) -> dict:
    """Goods and freight per shop for the checkout page (reads only; nothing is reserved)."""
    skus = SKU.objects.select_related("product", "product__shop").in_bulk(list(quantities))
    by_shop: dict[int, list] = defaultdict(list)
    for sku_id, qty in quantities.items():
        if sku_id in skus:
            by_shop[skus[sku_id].product.shop_id].append((skus[sku_id], qty))
    templates = default_templates(by_shop)
    return {
        shop_id: _shop_freight(shop_id, lines, address, templates)
        for shop_id, lines in by_shop.items()
    }


def _goods(lines: list) -> Money:
    """What one shop's (sku, quantity) lines cost before freight."""
    return sum((sku.price * qty for sku, qty in lines), Money.zero(lines[0][0].currency))


def _shop_freight(shop_id: int, lines: list, address: Address, templates: dict):
    return freight_for_shop(
        shop_id,
        address.province_code,
        quantity=sum(q for _s, q in lines),
        weight_grams=sum(sku.weight_grams * q for sku, q in lines),
        goods=_goods(lines),
        templates=templates,
    )


def place_order(
    *, buyer, address_id: int, items: Iterable[tuple[int, int]], idempotency_key: str = ""
) -> CheckoutResult:
    """Turn items into one Payment and one ShopOrder per shop, reserving stock in one transaction.

    Prices come from the SKUs, never from the client. Any line that is not for sale or short of
    stock refuses the whole checkout (fields name each line and how many are left) and nothing is
    reserved. With `idempotency_key`, the same buyer and key return the first result
    (`replayed=True`); a concurrent duplicate waits on the key's unique index and then replays.
    """
    quantities = clean_items(items)
    fingerprint = _fingerprint(address_id, quantities)
    key = idempotency_key[:100]
    key_taken = False
    try:
        with transaction.atomic():
            request_row = None
            if key:
                # Taken first so a duplicate waits here. No savepoint around it: when the key is
                # already used, nothing else has happened yet, and the replay runs once this
                # transaction has rolled back.
                request_row = CheckoutRequest.objects.create(
                    buyer=buyer, key=key, fingerprint=fingerprint
                )
            key_taken = True
            payment, orders = _place(buyer, address_id, quantities)
            if request_row is not None:
                CheckoutRequest.objects.filter(pk=request_row.pk).update(payment=payment)
    except IntegrityError:
        if key_taken or not key:  # not the key: a real error
            raise
        return _replay(buyer, key, fingerprint)
    return CheckoutResult(payment=payment, orders=orders)


def _place(buyer, address_id: int, quantities: dict[int, int]) -> tuple[Payment, list[ShopOrder]]:
    """The body of place_order, inside its transaction."""
    address = Address.objects.select_related("region").filter(pk=address_id, user=buyer).first()
    if address is None:
        raise Invalid(
            _("Choose one of your addresses."), fields={"address_id": [_("No such address.")]}
        )
    skus = _sellable_skus(quantities)
    by_shop: dict[int, list] = defaultdict(list)
    for sku_id in sorted(quantities):
        by_shop[skus[sku_id].product.shop_id].append((skus[sku_id], quantities[sku_id]))
    templates = default_templates(by_shop)
    freights = {
        shop_id: _shop_freight(shop_id, lines, address, templates)
        for shop_id, lines in by_shop.items()
    }
    undelivered = {
        f"shop_{shop_id}": [
            _("%(shop)s does not deliver to this address.")
            % {"shop": by_shop[shop_id][0][0].product.shop.name}
        ]
        for shop_id, freight in freights.items()
        if not isinstance(freight, Money)
    }
    if undelivered:
        raise Invalid(_("Some shops do not deliver to this address."), fields=undelivered)
    _reserve_or_refuse(quantities, skus)
    total = sum(
        (_goods(lines) + freights[shop_id] for shop_id, lines in by_shop.items()),
        Money.zero(freights[next(iter(freights))].currency),
    )
    payment = create_payment(buyer=buyer, amount=total, description=_("VillageMarket order"))
    orders = _create_orders(buyer, address, by_shop, freights, payment)
    from villagemarket.cart.services import remove_purchased

    remove_purchased(buyer, list(quantities))
    return payment, orders
