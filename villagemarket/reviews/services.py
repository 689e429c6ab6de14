"""Review use-cases: post a review or its follow-up, reply as the shop, flag, default ratings.

Who may review (one definition, used by pages, API and these services): the buyer of a
COMPLETED shop order, for each of its lines once, while the window is open (REVIEW_WINDOW_DAYS
after completion, database clock), and never a member of the shop's staff (a seller buying from
their own shop must not rate it). Texts go through moderation: a held text is not shown until an
operator approves it.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models.functions import Now
from django.utils.translation import gettext as _

from villagemarket.catalog import hooks as catalog_hooks
from villagemarket.core.errors import Conflict, Forbidden, NotFound
from villagemarket.core.images import process_upload
from villagemarket.orders.models import ShopOrderLine
from villagemarket.orders.states import Status

from . import hooks, moderation_link, rules
from .models import Review, ReviewPhoto, Visibility
from .selectors import follow_up_window, review_window, reviewable_lines, staff_of_shop

SWEEP_BATCH = 500


def _encode_photos(photos) -> list:
    photos = list(photos or [])
    rules.check_photo_count(len(photos))
    return [process_upload(photo, field="photos") for photo in photos]


def refusal(buyer, line_id: int) -> Exception:
    """Why `buyer` may not review line `line_id` now (the first rule it breaks)."""
    line = (
        ShopOrderLine.objects.filter(pk=line_id, order__buyer=buyer)
        .select_related("order")
        .annotate(staff=staff_of_shop())
        .first()
    )
    if line is None:
        return NotFound(_("No such order line."))
    if line.order.status != Status.COMPLETED:
        return Conflict(_("An order can be reviewed once it is completed."), code="not_completed")
    if line.staff:
        return Forbidden(_("Shop staff cannot review their own shop."), code="own_shop")
    if Review.objects.filter(line_id=line_id).exists():
        return Conflict(_("This item is already reviewed."), code="already_reviewed")
    return Conflict(_("The time to review this order has passed."), code="window_closed")


def post_review(
    *,
    buyer,
    line_id: int,
    item_stars: int,
    service_stars: int,
    delivery_stars: int,
    text: str = "",
    anonymous: bool = False,
    photos=(),
) -> Review:
    """The buyer reviews one line of a completed order (once; within the window; not as staff).

    Photos (at most 6) are re-encoded, which drops their metadata. The text is screened by
    moderation: a held review is saved but not shown until approved.
    """
    stars = rules.check_stars(
        item_stars=item_stars, service_stars=service_stars, delivery_stars=delivery_stars
    )
    text = rules.check_text(text, field="text", limit=rules.TEXT_MAX, required=False)
    encoded = _encode_photos(photos)  # before the transaction: decoding images takes a while
    with transaction.atomic():
        return _save_review(buyer, line_id, stars, text, bool(anonymous), encoded)


def _save_review(buyer, line_id: int, stars: dict, text: str, anonymous: bool, encoded) -> Review:
    line = reviewable_lines(buyer).filter(pk=line_id).select_related("order", "sku").first()
    if line is None:
        raise refusal(buyer, line_id)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                line=line,
                order_id=line.order_id,
                product_id=line.sku.product_id,
                shop_id=line.order.shop_id,
                author=buyer,
                text=text,
                anonymous=anonymous,
                **stars,
            )
    except IntegrityError:
        # A concurrent post (or the default-rating sweep) got there first.
        raise Conflict(_("This item is already reviewed."), code="already_reviewed") from None
    _store_photos(review, encoded, follow_up=False)
    _hold_if_screened(review, moderation_link.KIND_REVIEW, text, buyer)
    hooks.review_posted(review)
    _ratings_changed([review.product_id])
    return review


def _ratings_changed(product_ids) -> None:
    """A product's counted ratings changed: tell the catalog's product listeners (search ranks by
    rating) after the commit."""
    catalog_hooks.products_changed(product_ids)


def _store_photos(review: Review, encoded: list, *, follow_up: bool) -> None:
    """Save re-encoded photos (each file written by its field, under a random name)."""
    for file, width, height in encoded:
        photo = ReviewPhoto(review=review, width=width, height=height, follow_up=follow_up)
        photo.image.save(file.name, file, save=False)
        photo.save()


def post_follow_up(*, buyer, review_id: int, text: str, photos=()) -> Review:
    """The author adds one follow-up to their review, within REVIEW_FOLLOW_UP_DAYS of it."""
    text = rules.check_text(text, field="text", limit=rules.TEXT_MAX, required=True)
    encoded = _encode_photos(photos)
    with transaction.atomic():
        return _save_follow_up(buyer, review_id, text, encoded)


def _save_follow_up(buyer, review_id: int, text: str, encoded) -> Review:
    mine = Review.objects.filter(pk=review_id, author=buyer, is_default=False)
    moved = mine.filter(
        follow_up_at__isnull=True, created_at__gte=Now() - follow_up_window()
    ).update(follow_up_text=text, follow_up_at=Now(), follow_up_status=Visibility.PUBLISHED)
    if not moved:
        review = mine.first()
        if review is None:
            raise NotFound(_("No such review."))
        if review.follow_up_at:
            raise Conflict(_("A review has one follow-up."), code="already_followed_up")
        raise Conflict(_("The time for a follow-up has passed."), code="window_closed")
    review = Review.objects.get(pk=review_id)
    _store_photos(review, encoded, follow_up=True)
    _hold_if_screened(review, moderation_link.KIND_FOLLOW_UP, text, buyer)
    return review


def _hold_if_screened(review: Review, kind: str, text: str, author) -> None:
    """Hand the text to moderation; when it is held, the part (`kind`) waits hidden."""
    if moderation_link.held(
        kind=kind, object_id=review.pk, text=text, shop_id=review.shop_id, author=author
    ):
        field = _STATUS_FIELD[kind]
        Review.objects.filter(pk=review.pk).update(**{field: Visibility.HELD})
        setattr(review, field, Visibility.HELD)


@transaction.atomic
def reply_to_review(*, shop, user, review_id: int, text: str) -> Review:
    """Shop staff answer a review once (the caller checked `user` is on `shop`'s staff).

    Reply listeners hear it when it is shown: now when clean, or when moderation approves it.
    """
    text = rules.check_text(text, field="reply", limit=rules.REPLY_MAX, required=True)
    mine = Review.objects.filter(pk=review_id, shop=shop, is_default=False)
    moved = mine.filter(reply_at__isnull=True).update(
        reply_text=text, reply_at=Now(), reply_by=user, reply_status=Visibility.PUBLISHED
    )
    if not moved:
        if not mine.exists():
            raise NotFound(_("No such review."))
        raise Conflict(_("The shop has already replied to this review."), code="already_replied")
    review = Review.objects.select_related("author").get(pk=review_id)
    if moderation_link.held(
        kind=moderation_link.KIND_REPLY,
        object_id=review.pk,
        text=text,
        shop_id=review.shop_id,
        author=user,
    ):
        Review.objects.filter(pk=review.pk).update(reply_status=Visibility.HELD)
        review.reply_status = Visibility.HELD
    else:
        hooks.reply_posted(review)
    return review


@transaction.atomic
def set_flagged(review_id: int, flagged: bool, *, reason: str = "") -> None:
    """Hide a review from ratings and pages (anti-brushing), or restore it."""
    updated = Review.objects.filter(pk=review_id).update(
        flagged=bool(flagged), flag_reason=(reason or "")[:300] if flagged else ""
    )
    if not updated:
        raise NotFound(_("No such review."))
    _ratings_changed(Review.objects.filter(pk=review_id).values_list("product_id", flat=True))


# --- moderation decisions ----------------------------------------------------------------------
_STATUS_FIELD = {
    moderation_link.KIND_REVIEW: "status",
    moderation_link.KIND_FOLLOW_UP: "follow_up_status",
    moderation_link.KIND_REPLY: "reply_status",
}


def decide(kind: str, review_id: int, approved: bool, reason: str = "") -> None:
    """Moderation's decision on one of our texts (inside the operator's transaction)."""
    field = _STATUS_FIELD[kind]
    status = Visibility.PUBLISHED if approved else Visibility.REJECTED
    Review.objects.filter(pk=review_id).update(**{field: status})
    if kind == moderation_link.KIND_REVIEW:
        _ratings_changed(Review.objects.filter(pk=review_id).values_list("product_id", flat=True))
    if kind == moderation_link.KIND_REPLY and approved:
        review = Review.objects.select_related("author").filter(pk=review_id).first()
        if review is not None:
            hooks.reply_posted(review)


# --- default ratings ---------------------------------------------------------------------------
def give_default_ratings() -> int:
    """Give every line left unreviewed past the window the default positive rating (5, 5, 5).

    Counted in ratings, never shown as text. Idempotent and safe in several workers at once: a
    line has at most one review (unique), and a conflicting insert is skipped. Lines bought by
    the shop's own staff get none. Returns how many lines this call tried to rate.
    """
    tried = 0
    after = 0
    while True:
        lines = list(
            ShopOrderLine.objects.filter(
                pk__gt=after,
                order__status=Status.COMPLETED,
                order__completed_at__lt=Now() - review_window(),
                review__isnull=True,
            )
            .annotate(staff=staff_of_shop())
            .filter(staff=False)
            .order_by("pk")
            .values("pk", "order_id", "order__shop_id", "order__buyer_id", "sku__product_id")[
                :SWEEP_BATCH
            ]
        )
        if not lines:
            return tried
        Review.objects.bulk_create(
            [
                Review(
                    line_id=row["pk"],
                    order_id=row["order_id"],
                    shop_id=row["order__shop_id"],
                    author_id=row["order__buyer_id"],
                    product_id=row["sku__product_id"],
                    item_stars=5,
                    service_stars=5,
                    delivery_stars=5,
                    is_default=True,
                )
                for row in lines
            ],
            ignore_conflicts=True,
        )
        _ratings_changed({row["sku__product_id"] for row in lines})
        tried += len(lines)
        after = lines[-1]["pk"]
        if len(lines) < SWEEP_BATCH:
            return tried
