"""The regions slice's API router, mounted under /api/v1/regions/. Public reads only."""

import re

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from villagemarket.core.pagination import MAX_SIZE, PageNumber
from villagemarket.core.validation import Text
from villagemarket.regions import selectors
from villagemarket.regions.models import Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    short_name: str
    name_pinyin: str
    name_latin: str
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


class RegionSearchQuery(Schema):
    q: Text = Field(..., max_length=50, description="Name, pinyin or code prefix")


CODE = re.compile(r"[0-9]{1,12}")


def _region(code: str) -> Region:
    # ASCII digits only: "３７" or a 5,000-digit string is no region (404), never a query error.
    if not CODE.fullmatch(code):
        raise Http404
    return selectors.region_by_code(code)


@router.get("", response=list[RegionOut], summary="Provinces")
@paginate(PageNumber)
def list_provinces(request):
    return selectors.provinces()


@router.get("search", response=list[RegionOut], summary="Find regions by name, pinyin or code")
@paginate(PageNumber)
def search_regions(request, params: Query[RegionSearchQuery]):
    """The best matches (highest level first), at most MAX_SIZE in all, a page at a time."""
    return list(selectors.search(params.q, limit=MAX_SIZE))


@router.get("{code}", response=RegionDetailOut, summary="A region with its ancestors")
def region_detail(request, code: str):
    region = _region(code)
    region.ancestors = selectors.ancestors(region)
    region.children_count = selectors.children(region).count()
    return region


@router.get("{code}/children", response=list[RegionOut], summary="A region's children")
@paginate(PageNumber)
def region_children(request, code: str):
    return selectors.children(_region(code))
