"""The default positive rating for lines left unreviewed past the window."""

from __future__ import annotations

import pytest

from villagemarket.reviews import selectors, services
from villagemarket.reviews.models import Review
from villagemarket.reviews.tasks import PERIODIC, give_default_ratings
from villagemarket.shops.models import ShopMember
from villagemarket.testing.threads import run_together

from .factories import completed_days_ago, completed_order, stars


def test_lines_past_the_window_get_a_default_rating_once(db, buyer, address, sku_a, sku_b):
    # given one order past the window, one inside it, one reviewed and past it
    late = completed_order(buyer, address, sku_a)
    fresh = completed_order(buyer, address, sku_b)
    reviewed = completed_order(buyer, address, sku_a)
    services.post_review(buyer=buyer, line_id=reviewed.lines.get().pk, **stars(item=2))
    for order in (late, reviewed):
        completed_days_ago(order, 16)
    # when the sweep runs twice
    services.give_default_ratings()
    services.give_default_ratings()
    # then only the late line got one, counted in ratings but never shown as text
    default = Review.objects.get(is_default=True)
    assert default.line == late.lines.get() and default.text == ""
    assert (default.item_stars, default.service_stars, default.delivery_stars) == (5, 5, 5)
    assert not Review.objects.filter(line=fresh.lines.get()).exists()
    assert selectors.product_rating([sku_a.product_id])[sku_a.product_id] == (3.5, 2)
    assert list(selectors.product_reviews(sku_a.product_id)) == [Review.objects.get(item_stars=2)]


def test_own_shop_staff_orders_get_no_default_rating(db, bob, address, sku_a):
    ShopMember.objects.create(shop=sku_a.product.shop, user=bob, role="staff")
    address.user = bob
    address.save()
    completed_days_ago(completed_order(bob, address, sku_a), 16)
    services.give_default_ratings()
    assert not Review.objects.exists()


def test_the_worker_runs_the_sweep(db, buyer, address, sku_a):
    assert give_default_ratings in PERIODIC
    completed_days_ago(completed_order(buyer, address, sku_a), 16)
    give_default_ratings.enqueue()
    assert Review.objects.filter(is_default=True).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_rate_each_line_once(buyer, address, sku_a):
    orders = [completed_order(buyer, address, sku_a) for _ in range(3)]
    for order in orders:
        completed_days_ago(order, 16)
    outcomes = run_together(services.give_default_ratings, services.give_default_ratings)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert Review.objects.filter(is_default=True).count() == 3


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_buyer_posting_twice_at_once_gets_one_review(buyer, address, sku_a):
    line = completed_order(buyer, address, sku_a).lines.get()

    def post():
        return services.post_review(buyer=buyer, line_id=line.pk, **stars())

    outcomes = run_together(post, post)
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Review"], outcomes
    assert Review.objects.count() == 1
