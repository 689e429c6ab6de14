"""Reads for the observatory's pages, API and exports: aggregated in SQL, one query per table."""

from __future__ import annotations

import datetime
import re

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from villagemarket.core.errors import NotFound
from villagemarket.core.money import Money
from villagemarket.observatory.figures import growth_pct, rank, share_pct
from villagemarket.observatory.models import (
    CURRENCY,
    Cluster,
    ImportBatch,
    PublishedCount,
    RuleSet,
    ShopDailySales,
    TownDesignation,
    VillageDesignation,
    VillageStat,
)
from villagemarket.regions.models import Region

# The designation column that groups a parent's children: national -> provinces -> ... -> townships.
CHILD_FIELD = {0: "province_code", 1: "prefecture_code", 2: "county_code", 3: "township_code"}
PARENT_FIELD = {1: "province_code", 2: "prefecture_code", 3: "county_code"}


def _is_code(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9]{2,12}", text or ""))


def computed_years() -> list[int]:
    return sorted(VillageDesignation.objects.values_list("year", flat=True).distinct())


def latest_year() -> int | None:
    years = computed_years()
    return years[-1] if years else None


def national_summary() -> list[dict]:
    """Per year: computed Taobao villages, towns and clusters beside AliResearch's published
    counts.
    """
    villages = dict(
        VillageDesignation.objects.filter(qualified=True)
        .values_list("year")
        .annotate(n=Count("id"))
    )
    towns = dict(
        TownDesignation.objects.filter(qualified=True).values_list("year").annotate(n=Count("id"))
    )
    clusters = dict(Cluster.objects.values_list("year").annotate(n=Count("id")))
    published = {p.year: p for p in PublishedCount.objects.all()}
    computed = set(computed_years())
    rows = []
    for year in sorted(computed | set(published)):
        pub = published.get(year)
        v = villages.get(year, 0) if year in computed else None
        t = towns.get(year, 0) if year in computed else None
        pv, pt = (pub.villages, pub.towns) if pub else (None, None)
        rows.append(
            {
                "year": year,
                "villages": v,
                "towns": t,
                "clusters": clusters.get(year, 0) if year in computed else None,
                "published_villages": pv,
                "published_towns": pt,
                "villages_diff": v - pv if v is not None and pv is not None else None,
                "towns_diff": t - pt if t is not None and pt is not None else None,
            }
        )
    previous = None
    for row in rows:
        row["growth_pct"] = (
            growth_pct(row["villages"], previous) if row["villages"] is not None else None
        )
        previous = row["villages"] if row["villages"] is not None else previous
    return rows


def region_or_404(code: str) -> Region:
    # Region codes are ASCII digits: anything else (NUL included) is unknown without a query.
    region = Region.objects.filter(code=code).first() if _is_code(code) else None
    if region is None:
        raise NotFound(_("No such region."), fields={"code": [_("unknown region")]})
    return region


def area_breakdown(year: int, parent: Region | None = None) -> dict:
    """The parent's children (provinces of the nation, prefectures of a province, ...) for a year:
    Taobao villages and towns, share of the parent, year-on-year growth and rank."""
    level = parent.level if parent else 0
    if level > 3:
        raise NotFound(
            _("Townships and villages have no breakdown."), fields={"code": [_("too deep")]}
        )
    child = CHILD_FIELD[level]
    scope = Q(**{PARENT_FIELD[level]: parent.code}) if parent else Q()
    counts = _counts(VillageDesignation, year, child, scope)
    before = _counts(VillageDesignation, year - 1, child, scope)
    towns = _counts(TownDesignation, year, child, scope)
    sales = dict(
        VillageDesignation.objects.filter(scope, year=year, qualified=True)
        .values_list(child)
        .annotate(s=Sum("sales_minor"))
    )
    total, total_towns = sum(counts.values()), sum(towns.values())
    names = dict(
        Region.objects.filter(code__in=set(counts) | set(towns)).values_list("code", "short_name")
    )
    rows = [
        {
            "code": code,
            "name": names.get(code, code),
            "villages": counts.get(code, 0),
            "villages_before": before.get(code, 0),
            "towns": towns.get(code, 0),
            "sales_minor": sales.get(code, 0) or 0,
            "sales": Money(sales.get(code, 0) or 0, CURRENCY),
            "share_pct": share_pct(counts.get(code, 0), total),
            "towns_share_pct": share_pct(towns.get(code, 0), total_towns),
            "growth_pct": growth_pct(counts.get(code, 0), before.get(code, 0)),
        }
        for code in set(counts) | set(towns)
    ]
    return {
        "year": year,
        "parent": parent,
        "level": level,
        "rows": rank(rows, "villages"),
        "total_villages": total,
        "total_towns": total_towns,
        "total_before": sum(before.values()),
        "growth_pct": growth_pct(total, sum(before.values())),
    }


def _counts(model, year: int, field: str, scope: Q) -> dict[str, int]:
    return dict(
        model.objects.filter(scope, year=year, qualified=True)
        .values_list(field)
        .annotate(n=Count("id"))
    )


def area_history(parent: Region | None) -> dict[int, int]:
    """Taobao villages per computed year inside an area (the whole country when None)."""
    scope = Q(**{PARENT_FIELD[parent.level]: parent.code}) if parent and parent.level <= 3 else Q()
    if parent and parent.level == 4:
        scope = Q(township_code=parent.code)
    counts = dict(
        VillageDesignation.objects.filter(scope, qualified=True)
        .values_list("year")
        .annotate(n=Count("id"))
    )
    return {year: counts.get(year, 0) for year in computed_years()}


def village_designations(year: int, *, area: str = "", qualified: bool | None = True) -> QuerySet:
    """Designations of a year inside an area (any code prefix), biggest sales first; for paging."""
    qs = VillageDesignation.objects.filter(year=year).select_related("village", "rule_set")
    if qualified is not None:
        qs = qs.filter(qualified=qualified)
    if area:
        field = {
            2: "province_code",
            4: "prefecture_code",
            6: "county_code",
            9: "township_code",
        }.get(len(area))
        if field is None or not _is_code(area):
            raise NotFound(_("No such area."), fields={"area": [_("unknown area code")]})
        qs = qs.filter(**{field: area})
    return qs.order_by("-sales_minor", "village_id")


def town_designations(year: int, *, area: str = "") -> QuerySet:
    qs = TownDesignation.objects.filter(year=year, qualified=True).select_related("township")
    if area and not _is_code(area):
        raise NotFound(_("No such area."), fields={"area": [_("unknown area code")]})
    if area:
        qs = qs.filter(township_code__startswith=area)
    return qs.order_by("-taobao_villages", "-sales_minor", "township_id")


def clusters(year: int) -> QuerySet:
    return (
        Cluster.objects.filter(year=year)
        .select_related("rule_set")
        .order_by("-village_count", "number")
    )


def cluster_villages(cluster: Cluster) -> QuerySet:
    return (
        VillageDesignation.objects.filter(
            year=cluster.year, village__in=cluster.members.values("village_id")
        )
        .select_related("village")
        .order_by("-sales_minor")
    )


def village_profile(code: str) -> dict:
    """A village's history by year with the rule set and figures of each year, and its imported
    rows.
    """
    village = (
        Region.objects.filter(code=code, level=5).select_related("parent").first()
        if _is_code(code)
        else None
    )
    if village is None:
        raise NotFound(_("No such village."), fields={"code": [_("unknown village")]})
    history = list(
        VillageDesignation.objects.filter(village=village)
        .select_related("rule_set", "village")
        .order_by("-year")
    )
    imported = list(
        VillageStat.objects.filter(village=village)
        .select_related("batch")
        .order_by("-year", "batch__source")
    )
    ancestors = dict(
        Region.objects.filter(
            code__in=[
                village.province_code,
                village.prefecture_code,
                village.county_code,
                village.township_code,
            ]
        ).values_list("code", "short_name")
    )
    return {"village": village, "history": history, "imported": imported, "ancestors": ancestors}


def shop_figures(village_code: str, year: int) -> list[dict]:
    """Operators only: each shop of the village with its orders and net sales in the year."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = (
        ShopDailySales.objects.filter(shop__village_id=village_code, day__gte=start, day__lte=end)
        .values("shop_id", "shop__name", "shop__slug", "shop__created_at")
        .annotate(orders=Sum("orders"), sales=Sum("sales_minor"), refunds=Sum("refunds_minor"))
        .annotate(net=F("sales") - F("refunds"))
        .order_by("-net", "shop_id")
    )
    return [
        {
            "shop_id": r["shop_id"],
            "name": r["shop__name"],
            "slug": r["shop__slug"],
            "opened": r["shop__created_at"].date().isoformat(),
            "orders": r["orders"],
            "sales_minor": r["sales"],
            "refunds_minor": r["refunds"],
            "net_minor": r["net"],
            "net": Money(r["net"], CURRENCY),
        }
        for r in rows
    ]


def imports() -> QuerySet:
    return ImportBatch.objects.select_related("created_by").order_by("-created_at")


def rule_sets() -> QuerySet:
    return RuleSet.objects.order_by("year_from")
