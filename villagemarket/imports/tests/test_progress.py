"""Large files run in the worker with progress; a failure mid-way leaves nothing imported."""

from __future__ import annotations

import threading

import pytest

from villagemarket.catalog.models import Product
from villagemarket.core.errors import Invalid
from villagemarket.imports import progress as progress_module
from villagemarket.imports import services
from villagemarket.imports.columns import INLINE_ROWS
from villagemarket.imports.models import ImportJob, ProductHandle
from villagemarket.testing.personas import make_product

from .helpers import csv_content, new_product_rows


def many_products(count: int) -> bytes:
    rows = []
    for i in range(count):
        rows += new_product_rows(ref=f"p{i}", title=f"商品{i}", sizes=("110", "120"))
    return csv_content(rows)


@pytest.mark.django_db
def test_a_large_file_is_queued_and_run_by_the_worker(
    alice, shop_a, django_capture_on_commit_callbacks
):
    make_product(shop_a, title="已有")
    content = many_products(INLINE_ROWS // 2 + 1)  # two rows each: over the inline limit
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.start_import(alice, shop_a, filename="big.csv", content=content)
    assert job.status == "queued" and job.total_rows > INLINE_ROWS
    assert not ProductHandle.objects.exists()
    for callback in callbacks:  # the commit enqueues it; the test backend runs it at once
        callback()
    job.refresh_from_db()
    assert job.status == "done", job.errors
    assert job.rows_checked == job.rows_written == job.total_rows
    assert ProductHandle.objects.count() == INLINE_ROWS // 2 + 1
    # a retried task (the worker's at-least-once delivery) does not import twice
    services.run_import(job.pk)
    assert ProductHandle.objects.count() == INLINE_ROWS // 2 + 1


@pytest.mark.django_db
def test_a_refusal_mid_way_rolls_back_every_product(alice, shop_a, monkeypatch):
    make_product(shop_a, title="已有")
    saved = []
    real = services.save_product

    def refuse_the_fourth(user, shop, plan):
        saved.append(plan.ref)
        if len(saved) == 4:
            raise Invalid("refused", fields={"title": ["refused by the catalog"]})
        return real(user, shop, plan)

    monkeypatch.setattr(services, "save_product", refuse_the_fourth)
    job = services.start_import(alice, shop_a, filename="p.csv", content=many_products(6))
    assert job.status == "failed"
    assert job.errors == [{"row": 8, "column": "title", "message": "refused by the catalog"}]
    assert len(saved) == 6  # every product was tried, so every error is listed
    assert Product.objects.filter(shop=shop_a).count() == 1
    assert not ProductHandle.objects.exists()


@pytest.mark.django_db
def test_a_crash_mid_way_leaves_nothing_and_the_job_failed(alice, shop_a, monkeypatch):
    make_product(shop_a, title="已有")
    real = services.save_product
    calls = []

    def crash_on_the_third(user, shop, plan):
        calls.append(plan)
        if len(calls) == 3:
            raise RuntimeError("worker lost its database")
        return real(user, shop, plan)

    monkeypatch.setattr(services, "save_product", crash_on_the_third)
    with pytest.raises(RuntimeError):
        services.start_import(alice, shop_a, filename="p.csv", content=many_products(5))
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.errors[0]["row"] == 0
    assert Product.objects.filter(shop=shop_a).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_rows_saved_rise_while_the_transaction_is_open(alice, shop_a, monkeypatch):
    """Another session (the job page) sees the saved-rows count rise before the commit."""
    make_product(shop_a, title="已有")
    monkeypatch.setattr(progress_module, "EVERY_SECONDS", 0)
    content = many_products(INLINE_ROWS)  # queued: run below as the worker would
    job = ImportJob.objects.create(
        shop=shop_a, created_by=alice, filename="big.csv", file_format="csv", content=content
    )
    seen_by_page: list[int] = []
    products_seen: list[int] = []
    real = services.save_product

    def watched(user, shop, plan):
        outcome = real(user, shop, plan)
        if len(seen_by_page) < 5 or plan.ref.endswith("0"):

            def look():  # a thread has its own connection, like the page's request
                from django.db import connection

                row = ImportJob.objects.filter(pk=job.pk).values_list("rows_written", "status")
                seen_by_page.append(row.get()[0])
                products_seen.append(Product.objects.filter(shop=shop_a).count())
                connection.close()

            thread = threading.Thread(target=look)
            thread.start()
            thread.join()
        return outcome

    monkeypatch.setattr(services, "save_product", watched)
    job = services.run_import(job.pk)
    assert job.status == "done", job.errors
    # each look comes before that product's own count, so the first sees 0 saved
    assert seen_by_page == sorted(seen_by_page) and len(set(seen_by_page)) > 3
    assert 0 < seen_by_page[-1] < job.total_rows == 2 * INLINE_ROWS
    assert set(products_seen) == {1}  # nothing visible before the commit
    assert Product.objects.filter(shop=shop_a).count() == 1 + INLINE_ROWS
