"""Panels reviews adds to pages of lower apps (core.panels slots): ratings, the reviews list,
the shop's ratings and reputation, "Write a review" on a buyer's order."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string

from villagemarket.core import panels
from villagemarket.core.validation import parse_db_id
from villagemarket.orders.states import Status

from . import selectors
from .rules import mask_name

PER_PAGE = 10


def author_name(review) -> str:
    """The name a review shows: masked when posted anonymously."""
    name = review.author.display_name or review.author.get_username()
    return mask_name(name) if review.anonymous else name


def product_summary(request, product) -> str:
    rating = selectors.product_rating([product.pk]).get(product.pk)
    context = {
        "product": product,
        "rating": rating,
        "reputation": selectors.shop_reputation(product.shop_id),
    }
    return render_to_string("reviews/panels/product_summary.html", context, request=request)


def _stars_filter(request) -> int | None:
    stars = parse_db_id(request.GET.get("stars"))
    return stars if stars and stars <= 5 else None


def product_main(request, product) -> str:
    stars = _stars_filter(request)
    page = Paginator(selectors.product_reviews(product.pk, stars=stars), PER_PAGE).get_page(
        request.GET.get("rpage")
    )
    for review in page.object_list:
        review.shown_name = author_name(review)
    context = {
        "product": product,
        "page": page,
        "stars": stars,
        "counts": selectors.star_counts(product.pk),
    }
    return render_to_string("reviews/panels/product_main.html", context, request=request)


def shop_summary(request, shop) -> str:
    context = {
        "ratings": selectors.shop_ratings(shop.pk),
        "reputation": selectors.shop_reputation(shop.pk),
    }
    return render_to_string("reviews/panels/shop_summary.html", context, request=request)


def order_actions(request, order) -> str:
    if order.status != Status.COMPLETED or request.user.pk != order.buyer_id:
        return ""
    lines = selectors.order_review_lines(order, request.user)
    if not any(may or review for _line, review, may in lines):
        return ""
    context = {"order": order, "lines": lines}
    return render_to_string("reviews/panels/order_actions.html", context, request=request)


def seller_order_actions(request, order) -> str:
    return render_to_string(
        "reviews/panels/seller_order_actions.html", {"order": order}, request=request
    )


def connect() -> None:
    panels.register("product.summary", product_summary)
    panels.register("product.main", product_main)
    panels.register("shop.summary", shop_summary)
    panels.register("order.actions", order_actions)
    panels.register("seller_order.actions", seller_order_actions)
