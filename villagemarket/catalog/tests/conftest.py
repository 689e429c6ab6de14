"""Catalog test fixtures: alice's products in several states, images, API tokens."""

from __future__ import annotations

import io
import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from villagemarket.catalog.models import Category, Product, ProductImage
from villagemarket.catalog.searchtext import build_search_text
from villagemarket.testing import make_product


def jpeg_bytes(size=(64, 48), color=(200, 30, 30), **save_kwargs) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG", **save_kwargs)
    return out.getvalue()


def upload(data: bytes | None = None, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(
        name, data if data is not None else jpeg_bytes(), content_type=content_type
    )


def api_token_for(user) -> str:
    from villagemarket.accounts.models import ApiToken

    secret = "vm_" + secrets.token_urlsafe(24)
    ApiToken.objects.create(
        user=user, name="test", prefix=secret[:8], token_hash=ApiToken.hash_secret(secret)
    )
    return secret


def snapshot(product: Product) -> dict:
    """What a refused request must not change."""
    product.refresh_from_db()
    return {
        "title": product.title,
        "description": product.description,
        "status": product.status,
        "min_price": product.min_price_minor,
        "skus": sorted(
            product.skus.values_list("id", "price_minor", "stock", "is_active", "options")
        ),
        "images": sorted(
            ProductImage.objects.filter(product=product).values_list("id", "position")
        ),
    }


@pytest.fixture
def category(db):
    return Category.objects.get_or_create(
        slug="costumes", defaults={"name": "演出服饰", "name_en": "Costumes"}
    )[0]


@pytest.fixture
def alice_product(shop_a):
    """Alice's published product with one SKU (¥99.00, 10 in stock) and one image."""
    product = make_product(shop_a, title="丁楼演出服")
    # make_product bypasses the services; fill search text and published_at as they would.
    Product.objects.filter(pk=product.pk).update(
        search_text=build_search_text(product.title, product.title_en), published_at=timezone.now()
    )
    ProductImage.objects.create(product=product, image="products/x.jpg", position=0)
    return product


@pytest.fixture
def alice_draft(shop_a):
    return make_product(shop_a, title="秘密新款", status="draft")


@pytest.fixture
def sku(alice_product):
    return alice_product.skus.get()
