"""Ratings in the ranking: between two products alike in every other way, the one buyers rate
better comes first, and a product's rating follows its reviews after each commit."""

from __future__ import annotations

import pytest

from villagemarket.reviews import services as reviews
from villagemarket.reviews.models import Review
from villagemarket.reviews.tests.factories import completed_order, stars
from villagemarket.search import ranking
from villagemarket.search.models import SearchDocument
from villagemarket.search.service import search_product_ids
from villagemarket.testing.personas import make_product

pytestmark = pytest.mark.django_db


def rate(buyer, address, product, item: int) -> None:
    order = completed_order(buyer, address, product.skus.get())
    reviews.post_review(buyer=buyer, line_id=order.lines.get().pk, **stars(item, 5, 5))


def test_the_better_rated_of_two_alike_products_ranks_first(
    buyer, address, shop_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        praised = make_product(shop_a, title="手工竹篮")
        panned = make_product(shop_a, title="手工竹篮")  # newer: first on a tie
    assert search_product_ids("手工竹篮")[:2] == [panned.pk, praised.pk]

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            rate(buyer, address, praised, 5)
            rate(buyer, address, panned, 1)

    # (5 x 3 + 4.5 x 10) / 13 - 4.5 and (1 x 3 + 4.5 x 10) / 13 - 4.5
    documents = dict(SearchDocument.objects.values_list("product_id", "rating"))
    assert documents[praised.pk] == pytest.approx(60 / 13 - 4.5, abs=1e-6)
    assert documents[panned.pk] == pytest.approx(48 / 13 - 4.5, abs=1e-6)
    assert search_product_ids("手工竹篮")[:2] == [praised.pk, panned.pk]


def test_a_flagged_review_no_longer_counts_in_the_rank(
    buyer, address, shop_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product = make_product(shop_a, title="手工竹篮")
        rate(buyer, address, product, 1)
    assert SearchDocument.objects.get(product_id=product.pk).rating < 0

    review_id = Review.objects.get(product_id=product.pk).pk
    with django_capture_on_commit_callbacks(execute=True):
        reviews.set_flagged(review_id, True, reason="brushing")

    assert SearchDocument.objects.get(product_id=product.pk).rating == 0


def test_the_rating_input_is_zero_without_reviews_and_few_reviews_move_it_little():
    assert ranking.rating(0, 0) == 0
    assert ranking.rating(5, 1) == pytest.approx((5 + 45) / 11 - 4.5, abs=1e-6)
    assert ranking.rating(1, 100) < ranking.rating(1, 1) < 0 < ranking.rating(5, 1)
