"""Reads: a shop's products as file rows (export), the template, and the shop's import jobs."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from villagemarket.catalog.models import SKU, Category, Product
from villagemarket.core.money import Money
from villagemarket.core.urls import absolute_url

from .columns import COLUMNS, MAX_SPECS
from .models import ImportJob


def shop_jobs(shop) -> QuerySet[ImportJob]:
    """The shop's import jobs, newest first, without the stored files."""
    return (
        ImportJob.objects.filter(shop=shop)
        .defer("content")
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def shop_job(shop, job_id: int) -> ImportJob | None:
    return shop_jobs(shop).filter(pk=job_id).first()


def export_products(shop) -> QuerySet[Product]:
    """Every product of the shop with what its rows need (active SKUs, images, category,
    household, handle), in a stable order so two exports compare line by line."""
    return (
        Product.objects.filter(shop=shop)
        .select_related("category", "household", "import_handle")
        .prefetch_related(
            Prefetch(
                "skus", queryset=SKU.objects.filter(is_active=True).order_by("position", "id")
            ),
            "images",
        )
        .order_by("id")
    )


def product_ref(product: Product) -> str:
    """The seller's handle when the product has one, else its id."""
    handle = getattr(product, "import_handle", None)
    return handle.handle if handle is not None else str(product.pk)


def _image_url(image) -> str:
    url = image.image.url
    return absolute_url(url) if url.startswith("/") else url


def export_rows(shop, *, money: bool = False) -> Iterator[list]:
    """One row per active SKU in COLUMNS order (a product without SKUs gets one row).

    `money=True` gives prices as Money (XLSX number cells with the ¥ format); otherwise as
    the decimal text "12.50" (CSV)."""
    for product in export_products(shop).iterator(chunk_size=200):
        images = " ".join(_image_url(image) for image in product.images.all())
        head = [
            product_ref(product),
            product.title,
            product.title_en,
            product.category.slug,
            product.household.name if product.household_id else "",
            product.description,
            product.status,
            product.low_stock_threshold,
        ]
        skus = list(product.skus.all()) or [None]
        for sku in skus:
            specs: list = []
            if sku is not None:
                for name, value in list((sku.options or {}).items())[:MAX_SPECS]:
                    specs += [name, value]
            specs += [""] * (2 * MAX_SPECS - len(specs))
            if sku is None:
                tail = ["", "", "", ""]
            else:
                price = Money(sku.price_minor, sku.currency)
                tail = [
                    sku.code,
                    price if money else str(price.amount),
                    sku.stock,
                    sku.weight_grams,
                ]
            row = [*head, *specs, *tail, images]
            assert len(row) == len(COLUMNS)
            yield row


def template_rows() -> list[list]:
    """The header's one example: a new product (handle) with two specifications."""
    category = Category.objects.order_by("position", "id").first()
    slug = category.slug if category else "costumes"
    example = {
        "product_ref": "hanfu-kids",
        "title": "儿童汉服 演出服",
        "title_en": "Children's hanfu costume",
        "category": slug,
        "description": "<p>纯棉，可机洗。</p>",
        "status": "draft",
        "low_stock_threshold": 5,
        "spec1_name": "尺码",
        "spec1_value": "110",
        "spec2_name": "颜色",
        "spec2_value": "红",
        "sku_code": "HF-110-R",
        "price": "59.00",
        "stock": 20,
        "weight_grams": 300,
    }
    return [[example.get(name, "") for name in COLUMNS]]
