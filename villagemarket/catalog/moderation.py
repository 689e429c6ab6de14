"""The "product" kind of moderation: what the queue shows of a listing, and what an operator's
decision does to it (registered in CatalogConfig.ready()).

Approve a held listing: it goes on sale. Reject: it is delisted with the operator's explanation.
A rejected held listing may be edited and published again (screened again); a listing rejected
after a buyer's report stays down until an operator relists it, like any operator take-down.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from villagemarket.moderation import hooks

from .models import Product
from .services.common import listing_text, move_product, refresh_min_price
from .services.screening import KIND
from .states import Event
from .states import Status as ProductStatus


def describe(object_id: int) -> hooks.ContentRef | None:
    product = Product.objects.filter(pk=object_id).select_related("shop").first()
    if product is None:
        return None
    return hooks.ContentRef(
        title=product.title,
        url=reverse("catalog:product", args=[product.pk]),
        text=listing_text(product),
        shop_id=product.shop_id,
        author_id=product.created_by_id,
    )


def decide(object_id: int, approved: bool, reason: str) -> None:
    """Inside the operator's decision transaction."""
    product = Product.objects.select_for_update().filter(pk=object_id).first()
    if product is None:
        return
    if approved:
        if product.status == ProductStatus.HELD:
            refresh_min_price(product)
            move_product(
                product,
                Event.MODERATE_PUBLISH,
                moderation_reason="",
                moderated_at=None,
                published_at=product.published_at or timezone.now(),
            )
        return
    was_held = product.status == ProductStatus.HELD
    move_product(
        product,
        Event.MODERATE_DELIST,
        moderation_reason=reason[:200],
        # A report's rejection is an operator take-down the seller cannot undo by relisting.
        moderated_at=None if was_held else timezone.now(),
    )


def register() -> None:
    hooks.register_kind(KIND, label=_("product"), describe=describe, on_decision=decide)
