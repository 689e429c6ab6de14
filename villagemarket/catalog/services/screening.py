"""Listings and moderation: screen a listing's text when it goes (or is) on sale and hold it for
an operator when it matches (docs/moderation.md). The operator's decision comes back through
catalog.moderation (the "product" kind registered with moderation.hooks)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from villagemarket.moderation import services as moderation

from ..models import Product
from ..states import Event
from .common import listing_text, move_product

KIND = "product"


def refuse_prohibited_fields(fields: dict) -> None:
    """ProhibitedContent (422) naming the field whose text matches a "refuse" term."""
    texts = {}
    for name in ("title", "title_en", "description"):
        if fields.get(name):
            texts[name] = fields[name]
    if fields.get("attributes"):
        texts["attributes"] = "\n".join(f"{k}: {v}" for k, v in fields["attributes"].items())
    if "options" in fields:
        texts["options"] = "\n".join(f"{k}: {v}" for k, v in (fields["options"] or {}).items())
    moderation.refuse_prohibited(texts)


def held_reason(case) -> str:
    """What the seller reads on a held listing: the terms that matched (at most 200 chars)."""
    found = "; ".join(f"“{m['excerpt']}”" for m in case.matches[:3])
    return (_("Held for review, it matched: %(found)s") % {"found": found})[:200]


def screen_listing(product: Product, user) -> bool:
    """Screen a listing that is on sale, held, or about to be published (in the caller's
    transaction). When it matches it is held (not for sale, not in search) and True is returned."""
    case = moderation.submit(
        kind=KIND,
        object_id=product.pk,
        text=listing_text(product),
        shop_id=product.shop_id,
        author=user,
    )
    if case is None:
        return False
    move_product(product, Event.HOLD, moderation_reason=held_reason(case))
    return True
