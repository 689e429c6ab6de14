"""The demo command: builds shops and products in the villages it finds, and a second run
changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from villagemarket.accounts.models import User
from villagemarket.catalog.models import SKU, Product, ProductImage
from villagemarket.testing import make_region_tree
from villagemarket.shops.models import Shop
from villagemarket.web import demo
from villagemarket.web.demo import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_regions(monkeypatch):
    """Replace the all-China regions step by the persona tree (丁楼村 and 胡楼村 only)."""

    def regions(ctx):
        make_region_tree()
        return "tiny tree"

    steps = [(name, label, regions if name == "regions" else fn) for name, label, fn in demo.STEPS]
    monkeypatch.setattr(demo, "STEPS", steps)


def counts():
    return (
        Shop.objects.count(),
        Product.objects.count(),
        SKU.objects.count(),
        ProductImage.objects.count(),
        User.objects.count(),
    )


def test_demo_builds_shops_products_and_users_and_is_idempotent(tiny_regions, settings):
    call_command("demo")
    first = counts()
    # 丁楼村 has 6 planned shops, 胡楼村 2; 10 products each.
    assert first[0] == 8 and first[1] == 80
    assert first[2] >= first[1] and first[3] >= first[1]
    seller_shop = Shop.objects.get(members__user__email=data.SELLER)
    assert seller_shop.village_id == "371721121227" and seller_shop.products.count() == 10
    operator = User.objects.get(email=data.OPERATOR)
    assert operator.is_staff and operator.is_superuser and operator.check_password(data.PASSWORD)
    product = Product.objects.filter(status="published").first()
    assert product.title_en and product.search_text and product.min_price_minor > 0
    assert all(1 <= p.skus.count() <= 6 for p in Product.objects.prefetch_related("skus"))
    image = ProductImage.objects.first()
    assert (settings.MEDIA_ROOT / image.image.name).stat().st_size > 1000

    # the demo buyer's orders came through checkout, a signed sandbox notification and shipping
    from villagemarket.orders.models import ShopOrder

    statuses = sorted(
        ShopOrder.objects.filter(buyer__email=data.BUYER).values_list("status", flat=True)
    )
    assert statuses == ["awaiting_payment", "awaiting_shipment", "completed", "shipped"]

    call_command("demo")
    assert counts() == first
    assert ShopOrder.objects.count() == 4


def test_demo_pages_render(tiny_regions, client):
    call_command("demo")
    product = Product.objects.filter(status="published", shop__status="active").first()
    for url in ("/", f"/p/{product.pk}/", f"/shops/{product.shop.slug}/", "/c/costumes/"):
        assert client.get(url).status_code == 200, url
    assert product.title in client.get("/search/", {"q": product.title}).content.decode()
