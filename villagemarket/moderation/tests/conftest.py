"""Moderation fixtures: a draft and a published listing of alice's, and a clean catalogue."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from villagemarket.catalog import services as catalog
from villagemarket.testing import make_product

SPAM_BLOCK = "\n".join(
    f"{word} http://www.{site}{n}.com {word}{n} {site}{n}.cn"
    for n, (word, site) in enumerate(
        [("低价代购", "xxx"), ("高仿名表", "yyy"), ("免费电影", "zzz"), ("网赚", "abc")] * 8
    )
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Report windows live in the cache, keyed by user id: ids repeat from test to test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def listing(shop_a):
    """Alice's published stage costume."""
    return make_product(shop_a, title="演出服", status="published")


@pytest.fixture
def draft(shop_a):
    return make_product(shop_a, title="舞蹈服", status="draft")


@pytest.fixture
def held_listing(alice, listing):
    """Alice edits her published listing to ask buyers to add her on WeChat: it is held."""
    return catalog.update_product(alice, listing.pk, {"description": "<p>有意者加微信详谈</p>"})
