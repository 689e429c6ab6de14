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


def _figures(request, product) -> selectors.ProductFigures:
    """The product's figures, read once per request (both product panels show them)."""
    memo = request.__dict__.setdefault("_review_figures", {})
    if product.pk not in memo:
        memo[product.pk] = selectors.product_figures(product.pk)
    return memo[product.pk]


def product_summary(request, product) -> str:
    context = {
        "product": product,
        "figures": _figures(request, product),
        "reputation": selectors.shop_reputation(product.shop_id),
    }
    return render_to_string("reviews/panels/product_summary.html", context, request=request)


def _stars_filter(request) -> int | None:
    stars = parse_db_id(request.GET.get("stars"))
    return stars if stars and stars <= 5 else None


def product_main(request, product) -> str:
    stars = _stars_filter(request)
    figures = _figures(request, product)
    total = figures.by_stars[stars] if stars else sum(figures.by_stars.values())
    reviews = selectors.product_reviews(product.pk, stars=stars) if total else []
    paginator = Paginator(reviews, PER_PAGE)
    paginator.count = total  # known from the figures: no COUNT query
    page = paginator.get_page(request.GET.get("rpage"))
    for review in page.object_list:
        review.shown_name = author_name(review)
    context = {"product": product, "page": page, "stars": stars, "counts": figures.by_stars}
    return render_to_string("reviews/panels/product_main.html", context, request=request)


def shop_summary(request, shop) -> str:
    ratings, reputation = selectors.shop_summary(shop.pk)
    context = {"ratings": ratings, "reputation": reputation}
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
