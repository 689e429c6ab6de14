"""No English in the Chinese interface and no Chinese in the English one (proper names aside):
third-party labels go through gettext, examples follow the page's language."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils.functional import Promise

from villagemarket.testing import client_for, make_product


def test_task_admin_labels_are_translatable():
    from django_tasks_db.models import DBTaskResult

    config = apps.get_app_config("django_tasks_database")
    model_admin = admin.site._registry[DBTaskResult]

    labels = [
        config.verbose_name,
        type(model_admin).formatted_traceback.short_description,
        type(model_admin).display_run_after.short_description,
        DBTaskResult.task_name.fget.short_description,
    ]

    assert all(isinstance(label, Promise) for label in labels)
    assert str(config.verbose_name) == "Background tasks"


@pytest.mark.django_db
def test_the_variant_example_follows_the_pages_language(alice, shop_a):
    product = make_product(shop_a)

    page = client_for(alice).get(f"/seller/products/{shop_a.slug}/{product.pk}/edit/")

    html = page.content.decode()
    assert 'placeholder="e.g. size"' in html
    assert "尺码" not in html
