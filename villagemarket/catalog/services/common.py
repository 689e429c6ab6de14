"""Helpers shared by the catalog services: who may act, and keeping denormalised fields in sync."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.core.errors import IllegalTransition, NotFound
from villagemarket.shops.permissions import membership

from .. import states
from ..hooks import products_changed
from ..models import SKU, Product
from ..searchtext import build_search_text


def require_shop_staff(user, shop) -> None:
    """Shop staff (owner or staff) only; others get NotFound so they cannot learn what exists."""
    if membership(user, shop) is None:
        raise NotFound(_("No such product."))


def locked_product(user, product_id: int, *, lock: bool = True) -> Product:
    """The product row (locked for update unless lock=False), after checking the user is staff."""
    qs = Product.objects.select_for_update(of=("self",)) if lock else Product.objects
    product = qs.select_related("shop").filter(pk=product_id).first()
    if product is None:
        raise NotFound(_("No such product."))
    require_shop_staff(user, product.shop)
    return product


def refresh_min_price(product: Product) -> None:
    """min_price_minor = the cheapest active SKU's price (0 when there is none)."""
    # One query: the cheapest active SKU's price and the currency it is priced in.
    cheapest = (
        SKU.objects.filter(product=product, is_active=True)
        .order_by("price_minor", "pk")
        .values_list("price_minor", "currency")
        .first()
    )
    low, currency = cheapest or (0, "")
    currency = currency or product.currency
    Product.objects.filter(pk=product.pk).update(min_price_minor=low, currency=currency)
    product.min_price_minor, product.currency = low, currency
    products_changed([product.pk])  # the search index follows variants and prices


def listing_text(product: Product) -> str:
    """Everything a buyer reads on the listing, as one text for moderation's screening: titles,
    description (its HTML as stored, so link targets count), attributes and variant options."""
    parts = [product.title, product.title_en, product.description]
    parts += [f"{name}: {value}" for name, value in (product.attributes or {}).items()]
    if product.pk:
        for options in SKU.objects.filter(product=product, is_active=True).values_list(
            "options", flat=True
        ):
            parts += [f"{name}: {value}" for name, value in (options or {}).items()]
    return "\n".join(part for part in parts if part)


def search_text_for(product: Product) -> str:
    """The product's search text (title, English title, words, pinyin), kept in sync on write."""
    return build_search_text(product.title, product.title_en)


def move_product(product: Product, event: str, **fields) -> Product:
    """Apply `event` (catalog.states) with one guarded UPDATE: the row changes only if its status
    is still the one the move was checked against; `fields` change with it."""
    target = states.next_status(product.status, event)
    fields["updated_at"] = timezone.now()
    moved = Product.objects.filter(pk=product.pk, status=product.status).update(
        status=target, **fields
    )
    if moved != 1:  # another request moved it first: judge the move against what it is now
        now = Product.objects.filter(pk=product.pk).values_list("status", flat=True).first()
        states.next_status(now or product.status, event)
        raise IllegalTransition(_("The product changed meanwhile; try again."))
    product.status = target
    for name, value in fields.items():
        setattr(product, name, value)
    products_changed([product.pk])
    return product
