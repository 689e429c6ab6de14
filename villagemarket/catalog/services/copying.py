"""Copy a product: a new draft to start a similar listing from."""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from .. import rules
from ..hooks import products_changed
from ..models import SKU, Product, ProductImage, ProductStatus
from .common import locked_product, refresh_min_price, search_text_for

COPIED_FIELDS = (
    "shop_id",
    "household_id",
    "category_id",
    "title_en",
    "description",
    "attributes",
    "is_perishable",
    "is_custom_made",
    "returns_7day",
    "currency",
    "specs",
    "low_stock_threshold",
)


def _copy_title(title: str) -> str:
    suffix = _(" (copy)")
    return title[: rules.MAX_TITLE - len(suffix)] + suffix


@transaction.atomic
def copy_product(user, product_id: int) -> Product:
    """A new draft with the same fields, specifications, variants (price, weight, code, photo)
    and photos (new files), titled "... (copy)". Stock starts at 0: stock is goods on the
    shelf, and copying it would offer the same goods twice. Sales, moderation and publication
    are not copied; the copy is screened like any listing when it is published."""
    source = locked_product(user, product_id, lock=False)
    copy = Product(
        **{name: getattr(source, name) for name in COPIED_FIELDS},
        title=_copy_title(source.title),
        status=ProductStatus.DRAFT,
        created_by=user,
    )
    copy.search_text = search_text_for(copy)
    copy.save()
    new_images: dict[int, ProductImage] = {}
    for image in ProductImage.objects.filter(product=source).order_by("position", "id"):
        clone = ProductImage(
            product=copy,
            width=image.width,
            height=image.height,
            position=image.position,
            alt=image.alt,
        )
        try:
            with image.image.open("rb") as handle:
                data = handle.read()
        except OSError:  # a file lost from storage: the copy does without that photo
            continue
        extension = image.image.name.rsplit(".", 1)[-1]
        # A random name, like every upload (core.images): names reveal nothing.
        clone.image.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(data), save=False)
        clone.save()
        new_images[image.pk] = clone
    SKU.objects.bulk_create(
        SKU(
            product=copy,
            code=sku.code,
            options=sku.options,
            price_minor=sku.price_minor,
            currency=sku.currency,
            stock=0,
            weight_grams=sku.weight_grams,
            position=sku.position,
            image=new_images.get(sku.image_id),
        )
        for sku in SKU.objects.filter(product=source, is_active=True).order_by("position", "id")
    )
    refresh_min_price(copy)
    products_changed([copy.pk])
    return copy


__all__ = ["copy_product"]
