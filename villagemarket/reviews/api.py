"""Reviews API (mounted at /api/v1/reviews/): a product's reviews and a shop's ratings (public),
a buyer's reviewable lines, reviews and follow-ups, shop staff's list and replies."""

# No `from __future__ import annotations` here: ninja resolves string annotations in the
# decorator's module when an operation is wrapped (@idempotent), where these schemas are unknown.
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from villagemarket.accounts.auth import user_auth
from villagemarket.catalog.models import Product
from villagemarket.catalog.storefront import active_shop
from villagemarket.core.errors import NotFound
from villagemarket.core.idempotency import idempotent
from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import DbId, Text
from villagemarket.shops.permissions import shop_for_member

from . import selectors, services
from .panels import author_name

router = Router(tags=["reviews"], auth=user_auth)


# --- schemas ---------------------------------------------------------------------------------
class PhotoOut(Schema):
    url: str
    width: int
    height: int


def _photos(review, *, follow_up: bool) -> list[dict]:
    return [
        {"url": p.image.url, "width": p.width, "height": p.height}
        for p in review.photos.all()
        if p.follow_up == follow_up
    ]


class FollowUpOut(Schema):
    text: str
    created_at: datetime
    photos: list[PhotoOut]


class ReplyOut(Schema):
    text: str
    created_at: datetime


class ReviewOut(Schema):
    id: int
    product_id: int
    order_id: int
    author: str = Field(..., description="The author's name, masked when posted anonymously")
    anonymous: bool
    item_stars: int
    service_stars: int
    delivery_stars: int
    text: str
    status: str = Field(..., description="published, held (for moderation) or rejected")
    created_at: datetime
    photos: list[PhotoOut]
    follow_up: FollowUpOut | None
    reply: ReplyOut | None

    @staticmethod
    def resolve_author(obj) -> str:
        return author_name(obj)

    @staticmethod
    def resolve_photos(obj) -> list[dict]:
        return _photos(obj, follow_up=False)

    @staticmethod
    def resolve_follow_up(obj) -> dict | None:
        if not obj.follow_up_at:
            return None
        return {
            "text": obj.follow_up_text,
            "created_at": obj.follow_up_at,
            "photos": _photos(obj, follow_up=True),
        }

    @staticmethod
    def resolve_reply(obj) -> dict | None:
        if not obj.reply_at:
            return None
        return {"text": obj.reply_text, "created_at": obj.reply_at}


class PublicReviewOut(ReviewOut):
    @staticmethod
    def resolve_follow_up(obj) -> dict | None:
        return ReviewOut.resolve_follow_up(obj) if obj.follow_up_shown else None

    @staticmethod
    def resolve_reply(obj) -> dict | None:
        return ReviewOut.resolve_reply(obj) if obj.reply_shown else None


class RatingOut(Schema):
    average: Decimal | None = Field(..., description="Average item stars, 2 places")
    count: int
    by_stars: dict[int, int] = Field(..., description="Reviews shown with text, by item stars")


class RatingsOut(Schema):
    item: Decimal | None
    service: Decimal | None
    delivery: Decimal | None
    count: int


class ReputationOut(Schema):
    score: int
    tier: str = Field(..., description='"" (new shop), "seedling", "sheaf" or "moon"')
    rank: int


class ShopRatingsOut(Schema):
    days: int
    shop: RatingsOut
    category_average: RatingsOut
    reputation: ReputationOut


class ReviewableLineOut(Schema):
    line_id: int = Field(..., alias="pk")
    order_id: int
    product_title: str
    variant_label: str


class ReviewIn(Schema):
    item_stars: int = Field(..., ge=1, le=5)
    service_stars: int = Field(..., ge=1, le=5)
    delivery_stars: int = Field(..., ge=1, le=5)
    text: Text = ""
    anonymous: bool = False


class FollowUpIn(Schema):
    text: Text


class ReplyIn(Schema):
    text: Text


class StarsQuery(Schema):
    stars: int | None = Field(None, ge=1, le=5, description="Only reviews with these item stars")


# --- public ------------------------------------------------------------------------------------
def _product_for_sale(product_id: int) -> int:
    if not Product.objects.for_sale().filter(pk=product_id).exists():
        raise NotFound("No such product.")
    return product_id


@router.get(
    "products/{int:product_id}",
    response=list[PublicReviewOut],
    auth=None,
    summary="A product's reviews (photo reviews first)",
)
@paginate(PageNumber)
def product_reviews(request: HttpRequest, product_id: DbId, query: Query[StarsQuery]):
    return selectors.product_reviews(_product_for_sale(product_id), stars=query.stars)


@router.get(
    "products/{int:product_id}/rating", response=RatingOut, auth=None, summary="A product's rating"
)
def product_rating(request: HttpRequest, product_id: DbId):
    _product_for_sale(product_id)
    return selectors.product_figures(product_id)


@router.get(
    "shops/{slug}/ratings",
    response=ShopRatingsOut,
    auth=None,
    summary="A shop's ratings over 180 days and its reputation",
)
def shop_ratings(request: HttpRequest, slug: str):
    shop = active_shop(slug)
    ratings, reputation = selectors.shop_summary(shop.pk)
    return {
        "days": settings.SHOP_RATING_DAYS,
        "shop": ratings.shop,
        "category_average": ratings.category,
        "reputation": reputation,
    }


# --- buyers ------------------------------------------------------------------------------------
@router.get("mine/reviewable", response=list[ReviewableLineOut], summary="Lines I may review now")
def reviewable(request: HttpRequest):
    return selectors.reviewable_lines(request.auth).order_by("-order__completed_at", "pk")


@router.get("mine", response=list[ReviewOut], summary="My reviews")
@paginate(PageNumber)
def my_reviews(request: HttpRequest):
    return selectors.buyer_reviews(request.auth)


@router.post("lines/{int:line_id}", response={201: ReviewOut}, summary="Review an order line")
@idempotent
def post_review(
    request: HttpRequest,
    line_id: DbId,
    payload: Form[ReviewIn],
    photos: File[list[UploadedFile]] = None,
):
    """Multipart form: the stars, `text`, `anonymous` and up to 6 `photos`. Once per line, by
    the buyer of a completed order within the review window (409 otherwise)."""
    review = services.post_review(
        buyer=request.auth, line_id=line_id, photos=photos or [], **payload.dict()
    )
    return Status(201, selectors.buyer_reviews(request.auth).get(pk=review.pk))


@router.post(
    "{int:review_id}/follow-up", response={201: ReviewOut}, summary="Add a follow-up to my review"
)
@idempotent
def post_follow_up(
    request: HttpRequest,
    review_id: DbId,
    payload: Form[FollowUpIn],
    photos: File[list[UploadedFile]] = None,
):
    services.post_follow_up(
        buyer=request.auth, review_id=review_id, text=payload.text, photos=photos or []
    )
    return Status(201, selectors.buyer_reviews(request.auth).get(pk=review_id))


# --- shop staff --------------------------------------------------------------------------------
@router.get("shops/{slug}/reviews", response=list[ReviewOut], summary="My shop's reviews")
@paginate(PageNumber)
def shop_reviews(request: HttpRequest, slug: str):
    return selectors.shop_reviews(shop_for_member(request.auth, slug).pk)


@router.post(
    "shops/{slug}/reviews/{int:review_id}/reply",
    response={201: ReviewOut},
    summary="Reply to a review (once)",
)
@idempotent
def reply(request: HttpRequest, slug: str, review_id: DbId, payload: ReplyIn):
    shop = shop_for_member(request.auth, slug)
    services.reply_to_review(shop=shop, user=request.auth, review_id=review_id, text=payload.text)
    return Status(201, selectors.shop_reviews(shop.pk).get(pk=review_id))
