"""The demo step leaves a finished import and a failed one in the demo seller's shop, once."""

from __future__ import annotations

import pytest

from villagemarket.imports.models import ImportJob
from villagemarket.testing import make_product, make_shop, make_user
from villagemarket.web.demo import data
from villagemarket.web.demo.imports import imports_demo

pytestmark = pytest.mark.django_db


def test_demo_import_step_is_idempotent(village):
    seller = make_user(data.SELLER)
    shop = make_shop(seller, village, name="丁楼村演出服", slug="dinglou")
    for n in range(5):
        make_product(shop, title=f"演出服 {n}", options={"尺码": "S"})
    imports_demo(None)
    imports_demo(None)
    done, failed = ImportJob.objects.order_by("id")
    assert done.status == "done" and done.summary == {"created": 0, "updated": 3, "unchanged": 2}
    assert failed.status == "failed" and len(failed.errors) == 3
    assert shop.products.filter(low_stock_threshold=3).count() == 3
