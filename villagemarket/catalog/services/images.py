"""Product images: checked and re-encoded by core.images, at most 10 per product."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid, NotFound
from villagemarket.core.images import process_upload

from .. import rules
from ..models import ProductImage
from .common import locked_product


def _delete_file(storage, name: str) -> None:
    storage.delete(name)


MAX_ALT = 160


@transaction.atomic
def add_image(user, product_id: int, upload, *, alt: str = "") -> ProductImage:
    """Add an image at the end. Bad, oversized or too many images are refused naming `image`."""
    # The product row lock serialises concurrent uploads, so the count check cannot be raced past.
    product = locked_product(user, product_id)
    alt = rules.clean_name(alt, field="alt", max_length=MAX_ALT)
    if ProductImage.objects.filter(product=product).count() >= rules.MAX_IMAGES:
        raise Invalid(
            _("At most %(n)d images per product.") % {"n": rules.MAX_IMAGES},
            fields={"image": [_("at most %(n)d images") % {"n": rules.MAX_IMAGES}]},
        )
    content, width, height = process_upload(upload, field="image")
    last = ProductImage.objects.filter(product=product).aggregate(m=Max("position"))["m"]
    image = ProductImage(
        product=product,
        width=width,
        height=height,
        alt=alt,
        position=0 if last is None else last + 1,
    )
    image.image.save(content.name, content, save=False)
    image.save()
    return image


@transaction.atomic
def add_images(user, product_id: int, uploads) -> list[ProductImage]:
    """Several photos at once (a multiple file input): all or none. Each is checked, turned
    upright, resized to at most 1600 px and re-encoded without its metadata (core.images);
    errors name `images.<n>` (the n-th file, from 0)."""
    uploads = list(uploads)
    if not uploads:
        raise Invalid(_("Choose at least one photo."), fields={"images": [_("no file")]})
    product = locked_product(user, product_id)
    have = ProductImage.objects.filter(product=product).count()
    if have + len(uploads) > rules.MAX_IMAGES:
        message = _("At most %(n)d images per product.") % {"n": rules.MAX_IMAGES}
        raise Invalid(
            message,
            fields={"images": [_("%(free)d more allowed") % {"free": rules.MAX_IMAGES - have}]},
        )
    processed, errors = [], {}
    for i, upload in enumerate(uploads):
        try:
            processed.append(process_upload(upload, field=f"images.{i}"))
        except Invalid as exc:
            errors.update(exc.fields)
    if errors:
        raise Invalid(_("Some files are not photos we can use."), fields=errors)
    last = ProductImage.objects.filter(product=product).aggregate(m=Max("position"))["m"]
    start = 0 if last is None else last + 1
    images = []
    for offset, (content, width, height) in enumerate(processed):
        image = ProductImage(product=product, width=width, height=height, position=start + offset)
        image.image.save(content.name, content, save=False)
        image.save()
        images.append(image)
    return images


@transaction.atomic
def set_main_image(user, product_id: int, image_id: int) -> None:
    """Make one photo the main one (the first: listings and the product page show it first)."""
    product = locked_product(user, product_id)
    ids = list(ProductImage.objects.filter(product=product).values_list("pk", flat=True))
    if image_id not in ids:
        raise NotFound(_("No such image."))
    ids.remove(image_id)
    _write_order(product, [image_id, *ids])


def _write_order(product, ids: list[int]) -> None:
    for position, pk in enumerate(ids):
        ProductImage.objects.filter(pk=pk, product=product).update(position=position)


@transaction.atomic
def remove_image(user, product_id: int, image_id: int) -> None:
    """Delete an image; the file goes once the deletion is committed."""
    product = locked_product(user, product_id)
    image = ProductImage.objects.filter(pk=image_id, product=product).first()
    if image is None:
        raise NotFound(_("No such image."))
    name, storage = image.image.name, image.image.storage
    image.delete()
    transaction.on_commit(partial(_delete_file, storage, name))


@transaction.atomic
def reorder_images(user, product_id: int, image_ids: list[int]) -> None:
    """Put the product's images in the given order (all of them, each once)."""
    product = locked_product(user, product_id)
    current = set(ProductImage.objects.filter(product=product).values_list("pk", flat=True))
    try:
        wanted = [int(i) for i in image_ids]
    except (TypeError, ValueError):
        raise Invalid(_("Unknown images."), fields={"order": [_("not image ids")]}) from None
    if set(wanted) != current or len(wanted) != len(current):
        raise Invalid(
            _("Give every image of the product exactly once."),
            fields={"order": [_("must list every image once")]},
        )
    _write_order(product, wanted)


__all__ = ["add_image", "add_images", "set_main_image", "remove_image", "reorder_images"]
