"""`villagemarket worker`: sweeps are tasks, enqueued by its scheduler and run by db_worker."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from villagemarket.catalog.models import SKU
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.tests.factories import (
    age_orders,
    checkout,
    due_for_auto_complete,
    shipped_order,
)
from villagemarket.worker.schedule import enqueue_periodic, periodic_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_enqueued_sweeps_close_unpaid_and_complete_due_orders(buyer, address, sku_a):
    # given an unpaid order past the timeout and a shipped order past auto-completion
    unpaid = checkout(buyer, address, (sku_a.pk, 2)).orders[0]
    age_orders(minutes=30, pk=unpaid.pk)
    shipped = shipped_order(buyer, address, sku_a)
    due_for_auto_complete(pk=shipped.pk)

    # when the scheduler enqueues the periodic tasks (run at once by the test backend)
    # (every slice's sweeps: orders' two and payments' notification retries)
    assert enqueue_periodic() == len(periodic_tasks()) >= 2

    # then
    assert ShopOrder.objects.get(pk=unpaid.pk).status == "closed"
    assert ShopOrder.objects.get(pk=shipped.pk).status == "completed"
    assert SKU.objects.get(pk=sku_a.pk).stock == 9


def test_worker_once_runs_the_sweeps_through_the_database_queue(buyer, address, sku_a, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    order = checkout(buyer, address, (sku_a.pk, 1)).orders[0]
    age_orders(minutes=30, pk=order.pk)

    call_command("worker", "--once")

    assert ShopOrder.objects.get(pk=order.pk).status == "closed"
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == len(periodic_tasks())
