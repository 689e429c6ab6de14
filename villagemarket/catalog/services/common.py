"""Helpers shared by the catalog services: who may act, and keeping denormalised fields in sync."""

from __future__ import annotations

from django.utils.translation import gettext as _

from villagemarket.core.errors import NotFound
from villagemarket.shops.permissions import membership

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


def search_text_for(product: Product) -> str:
    """The product's search text (title, English title, words, pinyin), kept in sync on write."""
    return build_search_text(product.title, product.title_en)
