"""Catalog reads, shared by pages and API so neither grows an N+1."""

from __future__ import annotations

from django.db.models import Count, F, Max, Min, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from villagemarket.core.validation import parse_db_id
from villagemarket.shops.permissions import membership

from . import storefront
from .models import SKU, Category, Product, ProductImage, ProductStatus

PUBLIC_SKUS = Prefetch("skus", queryset=SKU.objects.for_sale().order_by("position", "id"))


def seller_products(shop, *, status: str = "", q: str = "") -> QuerySet[Product]:
    """All the shop's products (every status) with stock totals and price range of active SKUs."""
    active = Q(skus__is_active=True)
    qs = (
        Product.objects.filter(shop=shop)
        .select_related("category", "household")
        .annotate(
            total_stock=Coalesce(Sum("skus__stock", filter=active), 0),
            low_price=Min("skus__price_minor", filter=active),
            high_price=Max("skus__price_minor", filter=active),
            sku_count=Count("skus", filter=active),
        )
        .order_by("-created_at", "-id")
    )
    if status in ProductStatus.values:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(title_en__icontains=q) | Q(search_text__icontains=q.lower())
        )
    return qs


def seller_product(shop, pk: int) -> Product | None:
    """One product of the shop with all its SKUs (active first) and images."""
    return (
        Product.objects.filter(shop=shop, pk=pk)
        .select_related("category", "household", "shop")
        .prefetch_related(
            Prefetch("skus", queryset=SKU.objects.order_by("-is_active", "position", "id")),
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
        )
        .first()
    )


def public_products(
    *, category: str = "", shop: str = "", region: str = "", q: str = ""
) -> QuerySet[Product]:
    """Published products of active shops; filters by category slug or id (with everything below
    it, as on the category page), shop slug, region code prefix (province '37' .. village
    '371721121227') and a search term."""
    qs = (
        storefront.visible_products().prefetch_related(PUBLIC_SKUS).order_by("-published_at", "-id")
    )
    if category:
        pk = parse_db_id(category)
        cat = Category.objects.filter(
            Q(slug=category) | Q(pk=pk) if pk else Q(slug=category)
        ).first()
        if cat is None:
            return qs.none()
        # The same subtree as the category page's (storefront.category_descendant_ids).
        qs = qs.filter(category_id__in=storefront.category_descendant_ids(cat))
    if shop:
        qs = qs.filter(shop__slug=shop)
    if region:
        qs = qs.filter(shop__village__code__startswith=region.strip())
    for term in (q or "").lower().split()[:5]:
        qs = qs.filter(search_text__icontains=term)
    return qs


def product_for_viewer(user, pk: int) -> Product | None:
    """A product as `user` may see it: published in an active shop, or any status for its staff."""
    product = (
        Product.objects.filter(pk=pk)
        .select_related("shop", "shop__village", "category", "household")
        .prefetch_related(
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
        )
        .first()
    )
    if product is None:
        return None
    if product.is_for_sale:
        product.visible_skus = list(SKU.objects.for_sale().filter(product=product))
        return product
    if membership(user, product.shop) is not None:
        product.visible_skus = list(product.skus.order_by("-is_active", "position", "id"))
        return product
    return None


def category_tree() -> list[dict]:
    """Every category as nested dicts, in one query."""
    nodes = {
        c.pk: {
            "id": c.pk,
            "slug": c.slug,
            "name": c.name,
            "name_en": c.name_en,
            "children": [],
            "parent": c.parent_id,
        }
        for c in Category.objects.order_by("position", "name")
    }
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.pop("parent"))
        (parent["children"] if parent else roots).append(node)
    return roots


def low_stock_skus(shop) -> QuerySet[SKU]:
    """Active SKUs of the shop's products at or below their product's low-stock threshold
    (a threshold of 0 never alerts), with the product selected; fewest in stock first."""
    return (
        SKU.objects.filter(
            product__shop=shop,
            is_active=True,
            product__low_stock_threshold__gt=0,
            stock__lte=F("product__low_stock_threshold"),
        )
        .select_related("product")
        .order_by("stock", "product_id", "position", "id")
    )
