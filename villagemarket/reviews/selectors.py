"""Review reads shared by pages and API: ratings, lists, what a buyer may review, reputation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, Now

from villagemarket.catalog.models import Product
from villagemarket.orders.models import ShopOrder, ShopOrderLine
from villagemarket.orders.states import Status
from villagemarket.shops.models import ShopMember

from .models import Review, ReviewPhoto
from .reputation import Reputation, ShopRecord, reputation

TWO_PLACES = Decimal("0.01")
# Slow-moving figures shown on every product and shop page are cached this long (Redis when
# configured): a shop's reputation and a category's average of shop ratings.
FIGURES_CACHE_SECONDS = 600


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


@dataclass(frozen=True)
class ProductFigures:
    """A product's rating (counted reviews, default ones in) and its shown reviews by stars."""

    average: Decimal | None
    count: int
    by_stars: dict[int, int]  # 5 down to 1: reviews shown with text (the filter links)


def product_figures(product_id: int) -> ProductFigures:
    """Rating, count and shown reviews by stars of one product, in one query."""
    rows = (
        Review.objects.counted()
        .filter(product_id=product_id)
        .values("item_stars")
        .annotate(counted=Count("id"), shown=Count("id", filter=Q(is_default=False)))
        .order_by()
    )
    counted = {row["item_stars"]: row["counted"] for row in rows}
    shown = {row["item_stars"]: row["shown"] for row in rows}
    total = sum(counted.values())
    average = sum(stars * n for stars, n in counted.items()) / total if total else None
    return ProductFigures(
        average=_average(average),
        count=total,
        by_stars={stars: shown.get(stars, 0) for stars in range(5, 0, -1)},
    )


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


def _recent_since():
    return Now() - datetime.timedelta(days=settings.SHOP_RATING_DAYS)


def _recent():
    return Review.objects.counted().filter(created_at__gte=_recent_since())


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


def _review_stats(shop_ids) -> dict[int, dict]:
    """Per shop, in one query: the three averages over SHOP_RATING_DAYS and their count, and the
    positive / neutral / negative ratings of its whole life (counted reviews)."""
    recent = Q(created_at__gte=_recent_since())
    rows = (
        Review.objects.counted()
        .filter(shop_id__in=list(shop_ids))
        .values("shop_id")
        .annotate(
            item=Avg("item_stars", filter=recent),
            service=Avg("service_stars", filter=recent),
            delivery=Avg("delivery_stars", filter=recent),
            count=Count("id", filter=recent),
            positive=Count("id", filter=Q(item_stars__gte=4)),
            neutral=Count("id", filter=Q(item_stars=3)),
            negative=Count("id", filter=Q(item_stars__lte=2)),
        )
        .order_by()
    )
    return {row["shop_id"]: row for row in rows}


def shop_ratings(shop_id: int) -> ShopRatings:
    """The shop's item, service and delivery stars over SHOP_RATING_DAYS, and the mean of the
    same figures over the shops with the same main category (each shop weighs the same)."""
    return shop_summary(shop_id)[0]


def shop_summary(shop_id: int) -> tuple[ShopRatings, Reputation]:
    """A shop's ratings beside its category's, and its reputation (3 queries, 4-5 on a cold
    cache); the category average is only looked up when the shop has recent ratings."""
    reviews = _review_stats([shop_id]).get(shop_id, {})
    record = _record(_order_stats([shop_id]).get(shop_id, {}), reviews)
    own = _ratings(reviews)
    category_id = main_category_of([shop_id]).get(shop_id)
    category = Ratings(None, None, None, 0)
    if category_id and own.count:
        category = category_average(category_id)
    ratings = ShopRatings(shop=own, category=category, category_id=category_id)
    return ratings, reputation(record)


def category_average(category_id: int) -> Ratings:
    """The mean of the shop ratings of shops whose main category is `category_id` (cached)."""
    key = f"reviews:category-average:{category_id}"
    found = cache.get(key)
    if found is None:
        found = _peer_mean(_category_peers(category_id))
        cache.set(key, found, FIGURES_CACHE_SECONDS)
    return found


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


def _order_stats(shop_ids) -> dict[int, dict]:
    """Per shop, in one query: completed orders, orders refunded, late shipments, disputes lost."""
    rows = (
        ShopOrder.objects.filter(shop_id__in=list(shop_ids))
        .values("shop_id")
        .annotate(
            # distinct: the join to refunds' disputes repeats an order once per refund
            completed=Count("id", filter=Q(status=Status.COMPLETED), distinct=True),
            refunded=Count("id", filter=Q(refunded_minor__gt=0), distinct=True),
            late=Count("id", filter=late_shipment(), distinct=True),
            lost=Count(
                "refunds__dispute", filter=Q(refunds__dispute__decision="buyer"), distinct=True
            ),
        )
        .order_by()
    )
    return {row["shop_id"]: row for row in rows}


def _record(orders: dict, reviews: dict) -> ShopRecord:
    return ShopRecord(
        completed_orders=orders.get("completed", 0),
        positive_ratings=reviews.get("positive", 0),
        neutral_ratings=reviews.get("neutral", 0),
        negative_ratings=reviews.get("negative", 0),
        refunds=orders.get("refunded", 0),
        disputes_lost=orders.get("lost", 0),
        late_shipments=orders.get("late", 0),
    )


def shop_records(shop_ids) -> dict[int, ShopRecord]:
    """{shop_id: ShopRecord} for reputation, in two grouped queries whatever the number."""
    shop_ids = list(shop_ids)
    orders, reviews = _order_stats(shop_ids), _review_stats(shop_ids)
    return {
        shop_id: _record(orders.get(shop_id, {}), reviews.get(shop_id, {})) for shop_id in shop_ids
    }


def shop_reputation(shop_id: int) -> Reputation:
    """The shop's reputation, cached FIGURES_CACHE_SECONDS (product pages show it)."""
    key = f"reviews:reputation:{shop_id}"
    found = cache.get(key)
    if found is None:
        found = reputation(shop_records([shop_id])[shop_id])
        cache.set(key, found, FIGURES_CACHE_SECONDS)
    return found


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
