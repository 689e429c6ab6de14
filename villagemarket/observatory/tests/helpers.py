"""Small builders for observatory tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from villagemarket.testing import make_shop, make_user
from villagemarket.observatory.models import RuleSet
from villagemarket.observatory.services import record_sale
from villagemarket.regions.models import Region
from villagemarket.shops.models import Shop


def add_village(
    code: str, short: str, *, households=400, rural=True, lat=None, lon=None, kind="town"
):
    """A village (and its township, if missing) under Cao County (needs make_region_tree first)."""
    township, _ = Region.objects.get_or_create(
        code=code[:9],
        defaults=dict(
            name=f"{code[:9]}镇",
            short_name=f"{code[6:9]}镇",
            level=4,
            parent_id="371721",
            township_kind=kind,
            province_code="37",
            prefecture_code="3717",
            county_code="371721",
            township_code=code[:9],
        ),
    )
    return Region.objects.create(
        code=code,
        name=short,
        short_name=short,
        level=5,
        parent=township,
        is_rural=rural,
        households=households,
        latitude=lat,
        longitude=lon,
        province_code="37",
        prefecture_code="3717",
        county_code="371721",
        township_code=code[:9],
    )


def small_rules(name="pilot", **overrides) -> RuleSet:
    """An operator-made rule set with small thresholds, so a handful of shops can qualify a
    village.
    """
    fields = dict(
        name=name,
        year_from=2024,
        year_to=2024,
        village_min_sales_minor=1000_00,
        village_min_active_shops=2,
        town_min_villages=1,
        cluster_min_villages=2,
        cluster_min_sales_minor=1,
    )
    fields.update(overrides)
    return RuleSet.objects.create(**fields)


def opened_shop(village, slug: str, opened: datetime.date) -> Shop:
    owner = make_user(f"{slug}@example.com")
    shop = make_shop(owner, village, name=slug, slug=slug)
    when = timezone.make_aware(datetime.datetime.combine(opened, datetime.time(9)))
    Shop.objects.filter(pk=shop.pk).update(created_at=when)
    return shop


def sell(shop, day: datetime.date, amount_minor: int, n: int = 1) -> None:
    for i in range(n):
        record_sale(
            shop_id=shop.pk,
            ref=f"t:{shop.pk}:{day}:{i}:{amount_minor}",
            day=day,
            amount_minor=amount_minor,
        )
