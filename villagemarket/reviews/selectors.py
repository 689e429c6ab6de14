"""Review reads shared by pages and API: ratings, lists, what a buyer may review, reputation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Avg, Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, Now

from villagemarket.catalog.models import Product
from villagemarket.orders.models import Dispute, ShopOrder, ShopOrderLine
from villagemarket.orders.states import Status
from villagemarket.shops.models import ShopMember

from .models import Review, ReviewPhoto
from .reputation import Reputation, ShopRecord, reputation

TWO_PLACES = Decimal("0.01")


def review_window() -> datetime.timedelta:
    return datetime.timedelta(days=settings.REVIEW_WINDOW_DAYS)


def follow_up_window() -> datetime.timedelta:
    return datetime.timedelta(days=settings.REVIEW_FOLLOW_UP_DAYS)


def staff_of_shop():
    """Subquery for order lines: the line's buyer is on the staff of the line's shop."""
    return Exists(
        ShopMember.objects.filter(
            shop_id=OuterRef("order__shop_id"), user_id=OuterRef("order__buyer_id")
        )
    )


def reviewable_lines(buyer):
    """Lines `buyer` may review now: completed, window open, not reviewed, not their own shop."""
    return (
        ShopOrderLine.objects.filter(
            order__buyer=buyer,
            order__status=Status.COMPLETED,
            order__completed_at__gte=Now() - review_window(),
            review__isnull=True,
        )
        .annotate(staff=staff_of_shop())
        .filter(staff=False)
    )


def _average(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def product_rating(product_ids) -> dict[int, tuple[Decimal, int]]:
    """{product_id: (average item stars, 2 places, number of ratings)} over counted reviews
    (default ratings in, flagged and held ones out). Products without ratings are absent."""
    rows = (
        Review.objects.counted()
        .filter(product_id__in=list(product_ids))
        .values("product_id")
        .annotate(average=Avg("item_stars"), count=Count("id"))
        .order_by()
    )
    return {row["product_id"]: (_average(row["average"]), row["count"]) for row in rows}


def product_reviews(product_id: int, *, stars: int | None = None):
    """Reviews shown on a product's page: photo reviews first, then newest first."""
    reviews = Review.objects.shown().filter(product_id=product_id)
    if stars:
        reviews = reviews.filter(item_stars=stars)
    return (
        reviews.annotate(has_photos=Exists(ReviewPhoto.objects.filter(review=OuterRef("pk"))))
        .select_related("author")
        .prefetch_related("photos")
        .order_by("-has_photos", "-created_at", "-id")
    )


def star_counts(product_id: int) -> dict[int, int]:
    """{stars: number of shown reviews} for the filter links, 5 down to 1."""
    rows = (
        Review.objects.shown()
        .filter(product_id=product_id)
        .values("item_stars")
        .annotate(n=Count("id"))
        .order_by()
    )
    found = {row["item_stars"]: row["n"] for row in rows}
    return {stars: found.get(stars, 0) for stars in range(5, 0, -1)}


@dataclass(frozen=True)
class Ratings:
    item: Decimal | None
    service: Decimal | None
    delivery: Decimal | None
    count: int


def _ratings(row: dict) -> Ratings:
    return Ratings(
        item=_average(row.get("item")),
        service=_average(row.get("service")),
        delivery=_average(row.get("delivery")),
        count=row.get("count") or 0,
    )


def _recent():
    days = datetime.timedelta(days=settings.SHOP_RATING_DAYS)
    return Review.objects.counted().filter(created_at__gte=Now() - days)


_AVERAGES = {
    "item": Avg("item_stars"),
    "service": Avg("service_stars"),
    "delivery": Avg("delivery_stars"),
    "count": Count("id"),
}


def main_category_of(shop_ids) -> dict[int, int]:
    """{shop_id: id of the top-level category most of its listed products are in}."""
    top = Coalesce(F("category__parent__parent_id"), F("category__parent_id"), F("category_id"))
    rows = (
        Product.objects.filter(shop_id__in=list(shop_ids))
        .values("shop_id")
        .annotate(top=top, n=Count("id"))
        .order_by("shop_id", "-n", "top")
    )
    found: dict[int, int] = {}
    for row in rows:
        found.setdefault(row["shop_id"], row["top"])
    return found


@dataclass(frozen=True)
class ShopRatings:
    """A shop's three ratings over the last SHOP_RATING_DAYS, beside its category's average."""

    shop: Ratings
    category: Ratings  # mean of the ratings of shops whose main category is the same
    category_id: int | None


def shop_ratings(shop_id: int) -> ShopRatings:
    """The shop's item, service and delivery stars over SHOP_RATING_DAYS, and the mean of the
    same figures over the shops with the same main category (each shop weighs the same)."""
    own = _recent().filter(shop_id=shop_id).aggregate(**_AVERAGES)
    category_id = main_category_of([shop_id]).get(shop_id)
    peers = _category_peers(category_id) if category_id else []
    return ShopRatings(shop=_ratings(own), category=_peer_mean(peers), category_id=category_id)


def _category_peers(category_id: int) -> list[dict]:
    rated = (
        _recent()
        .values("shop_id")
        .annotate(
            item=Avg("item_stars"), service=Avg("service_stars"), delivery=Avg("delivery_stars")
        )
        .order_by()
    )
    rows = list(rated)
    main = main_category_of([row["shop_id"] for row in rows])
    return [row for row in rows if main.get(row["shop_id"]) == category_id]


def _peer_mean(rows: list[dict]) -> Ratings:
    if not rows:
        return Ratings(None, None, None, 0)
    n = len(rows)
    return _ratings(
        {
            "item": sum(Decimal(str(r["item"])) for r in rows) / n,
            "service": sum(Decimal(str(r["service"])) for r in rows) / n,
            "delivery": sum(Decimal(str(r["delivery"])) for r in rows) / n,
            "count": n,
        }
    )


# --- reputation --------------------------------------------------------------------------------
def late_shipment() -> Q:
    """A shop order shipped later than SHIP_PROMISE_HOURS after payment, or paid and still
    unshipped past that time (database clock). See docs/reviews.md."""
    promise = datetime.timedelta(hours=settings.SHIP_PROMISE_HOURS)
    shipped_late = Q(shipped_at__isnull=False, shipped_at__gt=F("paid_at") + promise)
    still_waiting = Q(status=Status.AWAITING_SHIPMENT, paid_at__lt=Now() - promise)
    return Q(paid_at__isnull=False) & (shipped_late | still_waiting)


def shop_records(shop_ids) -> dict[int, ShopRecord]:
    """{shop_id: ShopRecord} for reputation, in three grouped queries whatever the number."""
    shop_ids = list(shop_ids)
    orders = {
        row["shop_id"]: row
        for row in ShopOrder.objects.filter(shop_id__in=shop_ids)
        .values("shop_id")
        .annotate(
            completed=Count("id", filter=Q(status=Status.COMPLETED)),
            refunds=Count("id", filter=Q(refunded_minor__gt=0)),
            late=Count("id", filter=late_shipment()),
        )
        .order_by()
    }
    ratings = {
        row["shop_id"]: row
        for row in Review.objects.counted()
        .filter(shop_id__in=shop_ids)
        .values("shop_id")
        .annotate(
            positive=Count("id", filter=Q(item_stars__gte=4)),
            neutral=Count("id", filter=Q(item_stars=3)),
            negative=Count("id", filter=Q(item_stars__lte=2)),
        )
        .order_by()
    }
    lost = dict(
        Dispute.objects.filter(refund__order__shop_id__in=shop_ids, decision="buyer")
        .values_list("refund__order__shop_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    records = {}
    for shop_id in shop_ids:
        o, r = orders.get(shop_id, {}), ratings.get(shop_id, {})
        records[shop_id] = ShopRecord(
            completed_orders=o.get("completed", 0),
            positive_ratings=r.get("positive", 0),
            neutral_ratings=r.get("neutral", 0),
            negative_ratings=r.get("negative", 0),
            refunds=o.get("refunds", 0),
            disputes_lost=lost.get(shop_id, 0),
            late_shipments=o.get("late", 0),
        )
    return records


def shop_reputation(shop_id: int) -> Reputation:
    return reputation(shop_records([shop_id])[shop_id])


# --- a buyer's and a shop's reviews ------------------------------------------------------------
def order_review_lines(order, buyer) -> list[tuple]:
    """[(line, review or None, may_review)] for a buyer's shop order (the order page panel)."""
    lines = list(order.lines.all())
    reviews = {
        r.line_id: r for r in Review.objects.filter(line__in=lines, author=buyer, is_default=False)
    }
    open_ids = set(reviewable_lines(buyer).filter(order=order).values_list("pk", flat=True))
    return [(line, reviews.get(line.pk), line.pk in open_ids) for line in lines]


def shop_reviews(shop_id: int, *, unanswered: bool = False):
    """Reviews of a shop for its seller center (written ones, not flagged), newest first."""
    reviews = Review.objects.filter(shop_id=shop_id, is_default=False, flagged=False)
    if unanswered:
        reviews = reviews.filter(reply_at__isnull=True)
    return reviews.select_related("author", "product", "line").prefetch_related("photos")


def buyer_reviews(buyer):
    return (
        Review.objects.filter(author=buyer, is_default=False)
        .select_related("product", "line")
        .prefetch_related("photos")
    )
