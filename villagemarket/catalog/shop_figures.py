"""What catalog tells the lower apps' pages about shops (registered in CatalogConfig.ready()).

regions and shops sit below catalog and never import it: the region pages list active shops with
the number of products they have on sale, the seller dashboard counts a shop's products, and the
households page needs each household's product count. Each is a hook those apps offer.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet

from villagemarket.regions import hooks as region_hooks
from villagemarket.regions.selectors import shop_region_field
from villagemarket.shops import hooks as shop_hooks
from villagemarket.shops.models import Shop, ShopStatus

from .models import Product, ProductStatus


class RegionShops:
    """regions.hooks.ShopDirectory: active shops located under a region."""

    def counts(self, regions: Sequence) -> dict[str, int]:
        field = shop_region_field(regions[0].level)
        rows = (
            Shop.objects.filter(status=ShopStatus.ACTIVE)
            .filter(**{f"{field}__in": [r.code for r in regions]})
            .values(field)
            .annotate(n=Count("id"))
            .order_by()
        )
        return {row[field]: row["n"] for row in rows}

    def under(self, region) -> QuerySet[Shop]:
        return (
            Shop.objects.filter(status=ShopStatus.ACTIVE)
            .filter(**{shop_region_field(region.level): region.code})
            .select_related("village")
            .annotate(
                product_count=Count("products", filter=Q(products__status=ProductStatus.PUBLISHED))
            )
            .order_by("name", "pk")
        )


def product_figures(shop: Shop) -> dict[str, int]:
    """A shop's products, all and published, in one grouped query (the seller dashboard)."""
    rows = Product.objects.filter(shop=shop).values("status").annotate(n=Count("pk")).order_by()
    by_status = {row["status"]: row["n"] for row in rows}
    return {
        "products": sum(by_status.values()),
        "published": by_status.get(ProductStatus.PUBLISHED, 0),
    }


def household_product_counts(household_ids: list[int]) -> dict[int, int]:
    """Products made by each household (a household with products cannot be removed)."""
    if not household_ids:
        return {}
    rows = (
        Product.objects.filter(household_id__in=household_ids)
        .values("household_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["household_id"]: row["n"] for row in rows}


def register() -> None:
    region_hooks.register_shop_directory(RegionShops())
    shop_hooks.register_shop_counter(product_figures)
    shop_hooks.register_household_product_counter(household_product_counts)
