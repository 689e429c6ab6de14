"""Stock: a CHECK constraint as backstop, and one guarded UPDATE that never goes below zero."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction

from villagemarket.catalog import services
from villagemarket.catalog.models import SKU
from villagemarket.core.errors import Invalid, OutOfStock


def test_database_refuses_negative_stock(sku):
    with pytest.raises(IntegrityError), transaction.atomic():
        SKU.objects.filter(pk=sku.pk).update(stock=-1)
    assert SKU.objects.get(pk=sku.pk).stock == 10


def test_database_refuses_a_zero_price(sku):
    with pytest.raises(IntegrityError), transaction.atomic():
        SKU.objects.filter(pk=sku.pk).update(price_minor=0)


def test_removing_more_than_is_left_names_what_is_left(alice, alice_product, sku):
    with pytest.raises(OutOfStock) as refused:
        services.adjust_stock(alice, alice_product.pk, sku.pk, delta=-11)
    assert "10" in refused.value.message and refused.value.fields == {"delta": ["only 10 left"]}
    assert SKU.objects.get(pk=sku.pk).stock == 10
    assert services.adjust_stock(alice, alice_product.pk, sku.pk, delta=-10).stock == 0


@pytest.mark.parametrize(
    "kwargs", [{}, {"delta": 1, "set_to": 1}, {"set_to": -1}, {"delta": "x"}, {"set_to": "ten"}]
)
def test_bad_stock_input_changes_nothing(alice, alice_product, sku, kwargs):
    with pytest.raises(Invalid):
        services.adjust_stock(alice, alice_product.pk, sku.pk, **kwargs)
    assert SKU.objects.get(pk=sku.pk).stock == 10


def test_stock_of_another_products_sku_is_not_found(alice, alice_product, alice_draft):
    from villagemarket.core.errors import NotFound

    other = alice_draft.skus.get()
    with pytest.raises(NotFound):
        services.adjust_stock(alice, alice_product.pk, other.pk, delta=1)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_removals_never_oversell(alice, alice_product, sku):
    # given 10 in stock and 4 people each removing 4 at the same instant
    workers = 4
    barrier = threading.Barrier(workers)
    results: list[str] = []
    lock = threading.Lock()

    def remove_four():
        close_old_connections()
        try:
            barrier.wait()
            services.adjust_stock(alice, alice_product.pk, sku.pk, delta=-4)
            outcome = "ok"
        except OutOfStock:
            outcome = "out_of_stock"
        except Exception as exc:  # an IntegrityError here means the guard is gone
            outcome = type(exc).__name__
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=remove_four) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then exactly two succeed, the others are told it is out of stock, and 2 are left
    assert sorted(results) == ["ok", "ok", "out_of_stock", "out_of_stock"]
    assert SKU.objects.get(pk=sku.pk).stock == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_api_retries_with_one_idempotency_key_create_one_product(
    alice, shop_a, category
):
    import json

    from django.test import Client

    from villagemarket.catalog.models import Product
    from villagemarket.testing.threads import run_together

    from .conftest import api_token_for

    token = api_token_for(alice)
    body = json.dumps({"shop": shop_a.slug, "title": "重试", "category": category.pk})

    def create():
        response = Client().post(
            "/api/v1/catalog/products",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_IDEMPOTENCY_KEY="retry-1",
        )
        return response.status_code, response.content

    answers = run_together(*[create] * 4)
    # every retry got the first answer, and there is one product
    assert len(set(answers)) == 1 and answers[0][0] == 201, answers
    assert Product.objects.filter(title="重试").count() == 1
