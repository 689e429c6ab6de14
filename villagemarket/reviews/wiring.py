"""What reviews registers with the apps below it (called from ReviewsConfig.ready())."""

from __future__ import annotations

import functools

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import moderation_link


def describe(kind: str, review_id: int):
    """What moderation shows an operator for one of our texts (None when it is gone)."""
    from villagemarket.moderation.hooks import ContentRef

    from .models import Review

    review = Review.objects.select_related("product").filter(pk=review_id).first()
    if review is None:
        return None
    text, author_id = {
        moderation_link.KIND_REVIEW: (review.text, review.author_id),
        moderation_link.KIND_FOLLOW_UP: (review.follow_up_text, review.author_id),
        moderation_link.KIND_REPLY: (review.reply_text, review.reply_by_id),
    }[kind]
    return ContentRef(
        title=review.product.title,
        url=reverse("catalog:product", args=[review.product_id]) + f"#review-{review.pk}",
        text=text,
        shop_id=review.shop_id,
        author_id=author_id,
    )


def connect() -> None:
    from . import panels, services

    labels = {
        moderation_link.KIND_REVIEW: _("review"),
        moderation_link.KIND_FOLLOW_UP: _("review follow-up"),
        moderation_link.KIND_REPLY: _("seller's reply to a review"),
    }
    for kind, label in labels.items():
        moderation_link.register(
            kind,
            label=label,
            describe=functools.partial(describe, kind),
            on_decision=functools.partial(services.decide, kind),
        )
    panels.connect()
