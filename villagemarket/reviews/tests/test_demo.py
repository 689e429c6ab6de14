"""The demo shows reviews: photos, replies, an anonymous one, a follow-up, several shops."""

from __future__ import annotations

import pytest

from villagemarket.reviews import selectors
from villagemarket.reviews.models import Review, ReviewPhoto
from villagemarket.web.tests.test_demo import build_demo, tiny_regions  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_the_demo_has_reviews_with_photos_replies_and_shop_ratings(build_demo, tiny_regions):  # noqa: F811
    build_demo()
    written = Review.objects.filter(is_default=False)
    assert written.count() >= 6
    assert ReviewPhoto.objects.exists()
    assert written.filter(anonymous=True).exists()
    assert written.filter(reply_at__isnull=False).exists()
    assert written.filter(follow_up_at__isnull=False).exists()
    shops = set(written.values_list("shop_id", flat=True))
    assert len(shops) >= 2
    assert selectors.shop_ratings(next(iter(shops))).category.count >= 1
    # a second run writes nothing more
    before = Review.objects.count()
    build_demo()
    assert Review.objects.count() == before
