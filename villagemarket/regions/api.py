"""The regions slice's API router, mounted under /api/v1/regions/. Public reads only."""

from __future__ import annotations

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from villagemarket.regions import selectors
from villagemarket.regions.models import Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    short_name: str
    name_pinyin: str
    level: int
    parent_code: str | None
    township_kind: str
    is_rural: bool | None
    is_statistical: bool
    households: int | None
    latitude: float | None
    longitude: float | None

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent_id


class RegionDetailOut(RegionOut):
    ancestors: list[RegionOut]
    children_count: int


class SearchParams(Schema):
    q: str
    limit: int = selectors.SEARCH_LIMIT


def _region(code: str) -> Region:
    if not code.isdigit():
        raise Http404
    return selectors.region_by_code(code)


@router.get("", response=list[RegionOut], summary="Provinces")
def list_provinces(request):
    return list(selectors.provinces())


@router.get("search", response=list[RegionOut], summary="Find regions by name, pinyin or code")
def search_regions(request, params: Query[SearchParams]):
    limit = max(1, min(params.limit, 50))
    return list(selectors.search(params.q[:50], limit=limit))


@router.get("{code}", response=RegionDetailOut, summary="A region with its ancestors")
def region_detail(request, code: str):
    region = _region(code)
    region.ancestors = selectors.ancestors(region)
    region.children_count = selectors.children(region).count()
    return region


@router.get("{code}/children", response=list[RegionOut], summary="A region's children")
@paginate(PageNumberPagination, page_size=100)
def region_children(request, code: str):
    return selectors.children(_region(code))
