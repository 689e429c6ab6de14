"""The hot counters: a product page view writes nothing to the database; the worker's flush
adds the counts to the day tables, and flushes running at once lose nothing."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from villagemarket.core import counters
from villagemarket.insights import flush
from villagemarket.insights.models import ProductViewDay, ShopVisitDay
from villagemarket.insights.tasks import flush_counters
from villagemarket.testing import make_product
from villagemarket.testing.threads import run_together

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "")


@pytest.fixture
def no_redis(settings):
    settings.REDIS_URL = ""
    settings.COUNTERS_FLUSH_SECONDS = 3600  # only the sweep flushes in these tests
    counters._buffer.take()  # start from an empty buffer: drop an earlier test's leftovers
    yield
    counters._buffer.take()


@pytest.fixture
def product(shop_a):
    return make_product(shop_a, title="演出服", price_minor=9900, stock=10)


def visit(path: str, device: str | None) -> None:
    client = Client()
    if device:
        client.cookies["vm_device"] = device
    assert client.get(path).status_code == 200


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]


def test_a_product_page_view_writes_nothing_to_the_database(no_redis, product):
    with CaptureQueriesContext(connection) as queries:
        visit(f"/p/{product.pk}/", "device-one-aaaaaaaaaaaaaaaa")

    assert writes(queries.captured_queries) == []
    assert not ProductViewDay.objects.exists()


def test_the_sweep_stores_views_and_unique_visitors_of_the_day(no_redis, product, shop_a):
    # given three views from two devices
    for device in ["device-one-aaaaaaaaaaaaaaaa", "device-two-bbbbbbbbbbbbbbbb"]:
        visit(f"/p/{product.pk}/", device)
    visit(f"/p/{product.pk}/", "device-one-aaaaaaaaaaaaaaaa")

    # when the worker's sweep runs (twice: the second has nothing new)
    flush_counters.call()
    flush_counters.call()

    # then
    today = timezone.localdate()
    assert ProductViewDay.objects.get(product=product, day=today).views == 3
    visits = ShopVisitDay.objects.get(shop=shop_a, day=today)
    assert (visits.views, visits.visitors) == (3, 2)


def test_later_flushes_add_to_the_day_and_revisits_are_not_new_visitors(no_redis, product, shop_a):
    visit(f"/p/{product.pk}/", "device-one-aaaaaaaaaaaaaaaa")
    flush_counters.call()
    visit(f"/p/{product.pk}/", "device-one-aaaaaaaaaaaaaaaa")
    visit(f"/p/{product.pk}/", "device-three-cccccccccccccc")
    flush_counters.call()

    visits = ShopVisitDay.objects.get(shop=shop_a)
    assert (visits.views, visits.visitors) == (3, 2)
    assert ProductViewDay.objects.get(product=product).views == 3


def test_the_buffer_flushes_itself_once_its_interval_has_passed(settings, product, shop_a):
    settings.REDIS_URL = ""
    settings.COUNTERS_FLUSH_SECONDS = 0  # every view finds the flush due
    counters._buffer.take()

    visit(f"/p/{product.pk}/", "device-one-aaaaaaaaaaaaaaaa")

    assert ProductViewDay.objects.get(product=product).views == 1


def test_counts_a_failed_flush_could_not_store_wait_for_the_next(no_redis, product, monkeypatch):
    visit(f"/p/{product.pk}/", "device-one-aaaaaaaaaaaaaaaa")

    def broken(_drained):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(counters, "_sink", broken)
    with pytest.raises(RuntimeError):
        flush_counters.call()
    monkeypatch.setattr(counters, "_sink", flush.store)
    flush_counters.call()

    assert ProductViewDay.objects.get(product=product).views == 1


def test_views_of_a_product_deleted_before_the_flush_are_dropped(product, shop_a):
    gone = drained(product.pk, shop_a.pk, 3)
    gone.product_views[(timezone.localdate(), 999_999)] = 5

    flush.store(gone)

    assert list(ProductViewDay.objects.values_list("product_id", "views")) == [(product.pk, 3)]


def drained(product_id: int, shop_id: int, n: int) -> counters.Drained:
    day = timezone.localdate()
    result = counters.Drained()
    result.product_views[(day, product_id)] = n
    result.shop_views[(day, shop_id)] = n
    return result


def test_flushes_add_never_overwrite(product, shop_a):
    flush.store(drained(product.pk, shop_a.pk, 5))
    flush.store(drained(product.pk, shop_a.pk, 7))

    assert ProductViewDay.objects.get(product=product).views == 12
    assert ShopVisitDay.objects.get(shop=shop_a).views == 12


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_flushes_lose_nothing(product, shop_a):
    # The row exists and does not: both races (insert and update) are exercised.
    ProductViewDay.objects.create(
        product=product, day=timezone.localdate() - dt.timedelta(days=1), views=1
    )

    run_together(
        *[lambda n=n: flush.store(drained(product.pk, shop_a.pk, n)) for n in (1, 2, 3, 4)]
    )
    run_together(*[lambda n=n: flush.store(drained(product.pk, shop_a.pk, n)) for n in (10, 20)])

    today = timezone.localdate()
    assert ProductViewDay.objects.get(product=product, day=today).views == 40
    assert ShopVisitDay.objects.get(shop=shop_a, day=today).views == 40


@pytest.fixture
def redis_counters(settings):
    if not REDIS_TEST_URL:
        pytest.skip("set REDIS_TEST_URL=redis://127.0.0.1:6379/15 to test the Redis counters")
    settings.REDIS_URL = REDIS_TEST_URL
    settings.COUNTERS_KEY_PREFIX = f"test:counters:{uuid.uuid4().hex}"  # no other run's keys
    yield counters._redis()
    client = counters._redis()
    for key in client.scan_iter(f"{settings.COUNTERS_KEY_PREFIX}:*"):
        client.delete(key)


def test_with_redis_views_and_visitors_go_through_redis(redis_counters, product, shop_a):
    with CaptureQueriesContext(connection) as queries:
        visit(f"/p/{product.pk}/", "device-one-aaaaaaaaaaaaaaaa")
        visit(f"/p/{product.pk}/", "device-two-bbbbbbbbbbbbbbbb")
        visit(f"/p/{product.pk}/", "device-one-aaaaaaaaaaaaaaaa")
    assert writes(queries.captured_queries) == []

    flush_counters.call()
    visit(f"/p/{product.pk}/", "device-three-cccccccccccccc")
    flush_counters.call()
    flush_counters.call()

    assert ProductViewDay.objects.get(product=product).views == 4
    visits = ShopVisitDay.objects.get(shop=shop_a)
    assert (visits.views, visits.visitors) == (4, 3)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_with_redis_overlapping_sweeps_count_each_view_once(redis_counters, product, shop_a):
    day = timezone.localdate()
    for n in range(50):
        counters._record_redis(redis_counters, day, product.pk, shop_a.pk, f"v{n % 7}")

    run_together(counters.drain, counters.drain, counters.drain)

    assert ProductViewDay.objects.get(product=product).views == 50
    assert ShopVisitDay.objects.get(shop=shop_a).visitors == 7
