"""Ratings math against figures computed by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models.functions import Now

from villagemarket.catalog.models import Category, Product
from villagemarket.reviews import selectors, services
from villagemarket.reviews.models import Review, Visibility
from villagemarket.testing.personas import make_product, make_shop, make_user

from .factories import completed_order, stars

pytestmark = pytest.mark.django_db


def rate(buyer, address, sku, item, service, delivery) -> Review:
    order = completed_order(buyer, address, sku)
    return services.post_review(
        buyer=buyer, line_id=order.lines.get().pk, **stars(item, service, delivery)
    )


def test_product_and_shop_ratings_and_the_category_average(buyer, address, sku_a, sku_b, village):
    # given shop A: (5,5,4) (4,3,4) (1,3,5); a flagged (1,1,1); a held one (1,1,1); one of 200 days
    rate(buyer, address, sku_a, 5, 5, 4)
    rate(buyer, address, sku_a, 4, 3, 4)
    rate(buyer, address, sku_a, 1, 3, 5)
    services.set_flagged(rate(buyer, address, sku_a, 1, 1, 1).pk, True)
    held = rate(buyer, address, sku_a, 1, 1, 1)
    Review.objects.filter(pk=held.pk).update(status=Visibility.HELD)
    old = rate(buyer, address, sku_a, 2, 2, 2)
    Review.objects.filter(pk=old.pk).update(created_at=Now() - datetime.timedelta(days=200))
    # shop B (same main category): (2,2,2); shop C (another category): (5,5,5)
    rate(buyer, address, sku_b, 2, 2, 2)
    carol = make_user("carol@example.com", name="Carol")
    shop_c = make_shop(carol, village, name="Carol 苹果", slug="carol-apples")
    fruit = Category.objects.create(slug="fruit", name="水果", name_en="Fruit")
    apples = make_product(shop_c, title="苹果", price_minor=3000)
    Product.objects.filter(pk=apples.pk).update(category=fruit)
    rate(buyer, address, apples.skus.get(), 5, 5, 5)

    # then the product: (5 + 4 + 1 + 2) / 4 = 3.00 over 4 ratings (the old one counts here)
    assert selectors.product_rating([sku_a.product_id]) == {sku_a.product_id: (Decimal("3.00"), 4)}
    figures = selectors.product_figures(sku_a.product_id)
    assert (figures.average, figures.count) == (Decimal("3.00"), 4)
    # the shop over 180 days: item 10/3, service 11/3, delivery 13/3
    ratings = selectors.shop_ratings(sku_a.product.shop_id)
    assert ratings.shop.count == 3
    assert (ratings.shop.item, ratings.shop.service, ratings.shop.delivery) == (
        Decimal("3.33"),
        Decimal("3.67"),
        Decimal("4.33"),
    )
    # the category: mean of shop A and shop B (each shop weighs the same), shop C left out
    assert (ratings.category.item, ratings.category.service, ratings.category.delivery) == (
        Decimal("2.67"),  # (10/3 + 2) / 2
        Decimal("2.83"),  # (11/3 + 2) / 2
        Decimal("3.17"),  # (13/3 + 2) / 2
    )
    assert ratings.category.count == 2


def test_star_counts_for_the_filter(buyer, address, sku_a):
    rate(buyer, address, sku_a, 5, 5, 5)
    rate(buyer, address, sku_a, 5, 1, 1)
    rate(buyer, address, sku_a, 2, 5, 5)
    figures = selectors.product_figures(sku_a.product_id)
    assert figures.by_stars == {5: 2, 4: 0, 3: 0, 2: 1, 1: 0}
    assert (figures.average, figures.count) == (Decimal("4.00"), 3)


def test_photo_reviews_come_first(buyer, address, sku_a):
    from .factories import photo

    with_photo = completed_order(buyer, address, sku_a)
    first = services.post_review(
        buyer=buyer, line_id=with_photo.lines.get().pk, photos=[photo()], **stars()
    )
    later = rate(buyer, address, sku_a, 4, 4, 4)
    assert list(selectors.product_reviews(sku_a.product_id)) == [first, later]
