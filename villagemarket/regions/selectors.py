"""Reads of the region tree for pages, the picker and the API: bounded queries, no N+1.

Shops come from the ShopDirectory a higher app registers (regions.hooks): regions never imports
shops or catalog. Counts are one grouped query per page, not a COUNT per region.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from villagemarket.regions.hooks import shop_directory
from villagemarket.regions.models import Level, Region
from villagemarket.regions.rules import ANCESTOR_FIELDS, LEVEL_LENGTHS, level_of

SEARCH_LIMIT = 20


def region_by_code(code: str) -> Region:
    """The region with this code, or Http404."""
    return get_object_or_404(Region.objects.select_related("parent"), code=code)


def ancestors(region: Region) -> list[Region]:
    """Province down to the parent of `region`, in one query."""
    codes = [region.code[:length] for lvl, length in LEVEL_LENGTHS.items() if lvl < region.level]
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def provinces() -> QuerySet[Region]:
    return Region.objects.filter(level=Level.PROVINCE).order_by("code")


def children(region: Region | None) -> QuerySet[Region]:
    """Direct children (provinces when region is None), in code order."""
    if region is None:
        return provinces()
    return Region.objects.filter(parent=region).order_by("code")


def shop_region_field(level: int) -> str:
    """The column of a shop's village that holds its ancestor code at `level` (for grouping)."""
    return "village_id" if level == Level.VILLAGE else f"village__{ANCESTOR_FIELDS[level]}"


def shop_counts(regions: list[Region]) -> dict[str, int]:
    """Active shops located under each region (all regions of one level), in one query."""
    if not regions:
        return {}
    return shop_directory().counts(regions)


def with_shop_counts(regions) -> list[Region]:
    """The regions (one page of one level) with `.shop_count` set."""
    regions = list(regions)
    counts = shop_counts(regions)
    for region in regions:
        region.shop_count = counts.get(region.code, 0)
    return regions


def shops_under(region: Region):
    """Active shops located in `region` or below, each with its product count on sale."""
    return shop_directory().under(region)


def _prefix(field: str, text: str) -> Q:
    # A range, not LIKE 'x%': SQLite's LIKE is case-folding and skips a plain B-tree index.
    return Q(**{f"{field}__gte": text, f"{field}__lt": text + "\U0010ffff"})


def search(query: str, limit: int = SEARCH_LIMIT) -> QuerySet[Region]:
    """Regions found by code prefix, name or pinyin prefix, best (highest level) first.

    Every level is searched by prefix, which indexes answer ("丁楼" finds 丁楼村, "dinglou" too);
    names are also searched anywhere inside for levels 1-4 only, because a substring scan of the
    620k villages costs about a second on SQLite.
    """
    text = (query or "").strip()
    if not text:
        return Region.objects.none()
    if text.isdigit():
        matches = _prefix("code", text)
    else:
        matches = _prefix("short_name", text) | _prefix("name", text)
        matches |= Q(level__lt=Level.VILLAGE, name__contains=text)
        pinyin = "".join(text.split()).lower()
        if pinyin.isascii():
            matches |= _prefix("name_pinyin", pinyin)
    return Region.objects.filter(matches).order_by("level", "code")[:limit]


def chain_for_picker(code: str, max_level: int) -> list[tuple[int, list[Region], str]]:
    """Select boxes for the picker: (level, options, chosen code) from provinces down.

    Shows the selects for the levels of `code`, plus the next level's options when `code` is
    not yet at max_level. At most max_level queries, each one level's children.
    """
    try:
        chosen_level = level_of(code) if code else 0
    except ValueError:
        chosen_level = 0
    chosen_level = min(chosen_level, max_level)
    boxes = []
    for level in range(1, min(chosen_level + 1, max_level) + 1):
        parent = code[: LEVEL_LENGTHS[level - 1]] if level > 1 else None
        options = list(
            Region.objects.filter(level=level, parent_id=parent).only(
                "code", "short_name", "name", "name_latin"
            )
        )
        if not options:
            break
        selected = code[: LEVEL_LENGTHS[level]] if level <= chosen_level else ""
        boxes.append((level, options, selected))
    return boxes
