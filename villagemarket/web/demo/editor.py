"""Demo step: every demo product gets a full SKU matrix and a photo gallery (issue 12).

The products step draws 1-6 variants from each product's option pools, so most products hold part
of a matrix. Here each product's specifications are read back from its variants
(catalog.matrix.specs_from_options), the missing combinations are added at the product's base
price (up to 6 variants a product), and each product gets at least three photos (pooled
pictures, drawn once). Idempotent: a product whose specifications are saved is done;
galleries are topped up to three.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count

from villagemarket.catalog import matrix
from villagemarket.catalog.models import SKU, Product, ProductImage

from .images import image_name
from .steps import Context

GALLERY = 3
# Demo products keep at most 6 variants (the demo's own check); the few whose values make more
# combinations keep their partial set and no saved specifications.
MAX_DEMO_VARIANTS = 6


def _complete_matrix(ctx: Context, product: Product, skus: list[SKU]) -> list[SKU]:
    specs = matrix.specs_from_options(s.options for s in skus)
    if not specs or matrix.combination_count(specs) > MAX_DEMO_VARIANTS:
        return []
    have = {matrix.options_key(s.options) for s in skus}
    base = min(s.price_minor for s in skus)
    product.specs = specs
    return [
        SKU(
            product=product,
            options=options,
            price_minor=base + 300 * (position % 3),
            stock=ctx.rng.choice([0, 4, 12, 30, 80]),
            weight_grams=skus[0].weight_grams,
            position=position,
            code=f"D{product.pk}-{position}",
        )
        for position, options in enumerate(matrix.combinations(specs))
        if matrix.options_key(options) not in have
    ]


def _gallery(product: Product, have: int, first: str) -> list[ProductImage]:
    # The pooled picture's name encodes its look: category-char-variant.jpg; add the other looks.
    stem = first.rsplit("-", 1)[0].split("/", 1)[-1]
    category, code = stem.rsplit("-", 1)
    char = chr(int(code, 16))
    return [
        ProductImage(
            product=product,
            image=image_name(category, char, position % 3),
            width=480,
            height=480,
            position=position,
            alt=product.title,
        )
        for position in range(have, GALLERY)
    ]


def editor_demo(ctx: Context) -> str:
    """Full SKU matrices and three-photo galleries for the demo's products."""
    products = list(
        Product.objects.filter(shop__slug__startswith="demo-", specs=[])
        .annotate(n_images=Count("images"))
        .order_by("pk")
    )
    skus_of: dict[int, list[SKU]] = {}
    for sku in SKU.objects.filter(product__in=products, is_active=True).order_by("position", "pk"):
        skus_of.setdefault(sku.product_id, []).append(sku)
    first_image = dict(
        ProductImage.objects.filter(product__in=products, position=0).values_list(
            "product_id", "image"
        )
    )
    new_skus, new_images, with_specs = [], [], []
    for product in products:
        skus = skus_of.get(product.pk, [])
        if skus:
            new_skus += _complete_matrix(ctx, product, skus)
            if product.specs:
                with_specs.append(product)
        if product.n_images < GALLERY and product.pk in first_image:
            new_images += _gallery(product, product.n_images, first_image[product.pk])
    with transaction.atomic():
        SKU.objects.bulk_create(new_skus)
        ProductImage.objects.bulk_create(new_images)
        Product.objects.bulk_update(with_specs, ["specs"])
    return (
        f"{len(with_specs)} products with SKU matrices ({len(new_skus)} variants added), "
        f"{len(new_images)} gallery photos added"
    )
