"""Fixtures for the orders tests: a buyer's address in 大集镇 and one SKU per shop."""

from __future__ import annotations

import pytest

from villagemarket.core.testing import make_product
from villagemarket.orders.services import save_address


@pytest.fixture
def address(buyer, village):
    return save_address(
        user=buyer,
        region_code="371721121",
        detail="丁楼村 3 组 12 号",
        recipient="王芳",
        mobile="13912345678",
    )


@pytest.fixture
def sku_a(shop_a):
    return make_product(shop_a, title="演出服", price_minor=9900, stock=10).skus.get()


@pytest.fixture
def sku_b(shop_b):
    return make_product(shop_b, title="羽绒被", price_minor=25000, stock=5).skus.get()
