"""The observatory's JSON API (/api/v1/observatory/): public aggregates, staff-only shop figures."""

from __future__ import annotations

from django.core.paginator import Paginator
from ninja import Router

from villagemarket.accounts.auth import user_auth
from villagemarket.core.errors import Forbidden, Invalid, NotFound
from villagemarket.observatory import selectors
from villagemarket.observatory.explain import explain_village

router = Router(tags=["observatory"])


def _decimal(value):
    return None if value is None else float(value)  # a percentage for display, never money


@router.get("/summary")
def summary(request):
    """National counts per year beside AliResearch's published ones."""
    rows = selectors.national_summary()
    return {"years": [{**r, "growth_pct": _decimal(r["growth_pct"])} for r in rows]}


@router.get("/areas")
def areas(request, year: int, code: str = ""):
    """Children of an area (the country when no code): villages, towns, share, growth, rank."""
    parent = selectors.region_or_404(code) if code else None
    data = selectors.area_breakdown(year, parent)
    rows = [
        {
            **r,
            "share_pct": _decimal(r["share_pct"]),
            "towns_share_pct": _decimal(r["towns_share_pct"]),
            "growth_pct": _decimal(r["growth_pct"]),
        }
        for r in data["rows"]
    ]
    return {
        "year": year,
        "code": code or None,
        "total_villages": data["total_villages"],
        "total_towns": data["total_towns"],
        "growth_pct": _decimal(data["growth_pct"]),
        "rows": rows,
    }


def _village_json(d) -> dict:
    return {
        "year": d.year,
        "code": d.village_id,
        "name": d.village.short_name if d.village else "",
        "qualified": d.qualified,
        "sales_minor": d.sales_minor,
        "online_shops": d.online_shops,
        "active_shops": d.active_shops,
        "households": d.households,
        "source": d.source,
        "import_source": d.import_source,
        "rule_set": d.rule_set.name,
        "platform": None
        if d.platform_shops is None
        else {
            "sales_minor": d.platform_sales_minor,
            "shops": d.platform_shops,
            "active_shops": d.platform_active_shops,
        },
    }


@router.get("/villages")
def villages(request, year: int, area: str = "", page: int = 1, size: int = 50):
    """Taobao villages of a year (optionally inside an area code), largest sales first,
    paginated.
    """
    if not 1 <= size <= 500:
        raise Invalid("size must be 1..500", fields={"size": ["1..500"]})
    pages = Paginator(selectors.village_designations(year, area=area), size)
    current = pages.get_page(page)
    return {
        "count": pages.count,
        "page": current.number,
        "pages": pages.num_pages,
        "results": [_village_json(d) for d in current.object_list],
    }


@router.get("/villages/{code}")
def village(request, code: str):
    """A village's history and, per year, the rule set and why it did or did not qualify."""
    profile = selectors.village_profile(code)
    return {
        "code": code,
        "name": profile["village"].short_name,
        "history": [{**_village_json(d), "why": explain_village(d)} for d in profile["history"]],
    }


@router.get("/villages/{code}/shops", auth=user_auth)
def village_shops(request, code: str, year: int):
    """Operators only: which shops sold how much in the village that year."""
    if not request.auth.is_staff:
        raise Forbidden("Shop-level figures are for operators.")
    selectors.village_profile(code)  # 404 for an unknown village
    return {"code": code, "year": year, "shops": selectors.shop_figures(code, year)}


@router.get("/clusters")
def clusters(request, year: int):
    return {
        "year": year,
        "clusters": [
            {
                "number": c.number,
                "name": c.name,
                "province_code": c.province_code,
                "villages": c.village_count,
                "sales_minor": c.sales_minor,
                "very_large": c.very_large,
                "members": [m.village_id for m in c.members.all()],
            }
            for c in selectors.clusters(year).prefetch_related("members")
        ],
    }


__all__ = ["router", "NotFound"]
