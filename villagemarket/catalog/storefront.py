"""Public storefront reads: only published products of active shops, with bounded queries.

Every listing selects shop, village and category in the same query and prefetches images in one
more, so a page costs a fixed number of queries whatever its length.
"""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from villagemarket.regions.models import Region
from villagemarket.shops import selectors as shop_selectors
from villagemarket.shops.models import Shop, ShopStatus

from .models import SKU, Category, Product, ProductImage

SORTS = {
    "newest": (F("published_at").desc(nulls_last=True), "-created_at", "-id"),
    "price_up": ("min_price_minor", "-id"),
    "price_down": ("-min_price_minor", "-id"),
    "best_selling": ("-sales_count", "-id"),
}
DEFAULT_SORT = "newest"
IMAGES = Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))


def visible_products() -> QuerySet[Product]:
    """Published products of active shops: the only products a storefront page may show."""
    return (
        Product.objects.for_sale()
        .select_related("shop", "shop__village", "category")
        .prefetch_related(IMAGES)
    )


def sorted_products(qs: QuerySet[Product], sort: str) -> QuerySet[Product]:
    """Apply one of SORTS (unknown values fall back to newest)."""
    return qs.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def category_by_slug(slug: str) -> Category:
    category = Category.objects.select_related("parent").filter(slug=slug).first()
    if category is None:
        raise Http404("category")
    return category


def category_descendant_ids(category: Category) -> list[int]:
    """The category and everything below it (the tree is shallow: one query per level)."""
    ids, frontier = [category.pk], [category.pk]
    while frontier:
        frontier = list(
            Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids += frontier
    return ids


def category_products(category: Category, sort: str = DEFAULT_SORT) -> QuerySet[Product]:
    """Visible products in the category or its subcategories."""
    qs = visible_products().filter(category_id__in=category_descendant_ids(category))
    return sorted_products(qs, sort)


def root_categories() -> list[Category]:
    return list(Category.objects.filter(parent__isnull=True).order_by("position", "name"))


def subcategories(category: Category) -> list[Category]:
    return list(category.children.order_by("position", "name"))


def product_detail(pk: int) -> Product:
    """A visible product with images and active SKUs; 404 if draft, delisted or shop inactive."""
    product = (
        visible_products()
        .select_related("category__parent", "shop__village__parent", "household")
        .prefetch_related(
            Prefetch(
                "skus",
                queryset=SKU.objects.for_sale().order_by("position", "id"),
                to_attr="active_skus",
            )
        )
        .filter(pk=pk)
        .first()
    )
    if product is None:
        raise Http404("product")
    return product


def active_shop(slug: str) -> Shop:
    """An active shop with its village and township; any other status is a 404 for the public."""
    shop = shop_selectors.active_shops().select_related("village__parent").filter(slug=slug).first()
    if shop is None:
        raise Http404("shop")
    return shop


def shop_products(shop: Shop, sort: str = DEFAULT_SORT) -> QuerySet[Product]:
    return sorted_products(visible_products().filter(shop=shop), sort)


def featured_villages(limit: int = 8) -> list[Region]:
    """Featured villages with their active shop counts, in one query."""
    return list(
        Region.objects.filter(is_featured=True, level=5)
        .select_related("parent")
        .annotate(shop_count=Count("shops", filter=Q(shops__status=ShopStatus.ACTIVE)))
        .order_by("-shop_count", "code")[:limit]
    )


def featured_shops(limit: int = 8) -> list[Shop]:
    """Featured active shops (or, when none is featured, the newest active shops)."""
    base = Shop.objects.filter(status=ShopStatus.ACTIVE).select_related("village")
    shops = list(base.filter(is_featured=True).order_by("name", "pk")[:limit])
    return shops or list(base.order_by("-created_at", "-pk")[:limit])


def new_products(limit: int = 12) -> list[Product]:
    return list(sorted_products(visible_products(), DEFAULT_SORT)[:limit])
