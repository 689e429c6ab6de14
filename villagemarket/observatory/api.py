"""The observatory's JSON API (/api/v1/observatory/): public aggregates, operator-only shop figures.

Every response has a schema (names start with `Observatory`, unique across the API; the error
statuses get the API's one ErrorOut from api.document_standard_errors). Lists that
grow with the data (villages, clusters, a village's shops) paginate with PageNumber; the summary
(one row per year) and an area's breakdown (at most a few dozen children, with totals) are
reports answered whole. Amounts are minor-unit integers (`*_minor`) with their `currency`;
percentages are numbers with one decimal (display figures, never money).
"""

from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from villagemarket.accounts.auth import user_auth
from villagemarket.accounts.permissions import require_operator
from villagemarket.core.money import BASE_CURRENCY
from villagemarket.core.pagination import PageNumber
from villagemarket.observatory import selectors
from villagemarket.observatory.explain import explain_village

router = Router(tags=["observatory"])

YEAR = Field(..., ge=2000, le=2100, description="A year, 2000 to 2100.")
VILLAGE_CODE = r"^[0-9]{12}$"
AREA_CODE = r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9})?$"


def _pct(value) -> float | None:
    return None if value is None else float(value)  # a percentage for display, never money


# --- summary -------------------------------------------------------------------------------


class ObservatoryYearOut(Schema):
    year: int
    villages: int | None = Field(None, description="Computed Taobao villages (None: not computed).")
    towns: int | None
    clusters: int | None
    published_villages: int | None = Field(None, description="AliResearch's published count.")
    published_towns: int | None
    villages_diff: int | None
    towns_diff: int | None
    growth_pct: float | None


class ObservatorySummaryOut(Schema):
    years: list[ObservatoryYearOut]


@router.get("/summary", response=ObservatorySummaryOut)
def summary(request):
    """National counts per year beside AliResearch's published ones."""
    rows = selectors.national_summary()
    return {"years": [{**r, "growth_pct": _pct(r["growth_pct"])} for r in rows]}


# --- areas ---------------------------------------------------------------------------------


class ObservatoryAreaRowOut(Schema):
    rank: int
    code: str
    name: str
    villages: int
    villages_before: int
    towns: int
    sales_minor: int
    currency: str = BASE_CURRENCY
    share_pct: float | None
    towns_share_pct: float | None
    growth_pct: float | None


class ObservatoryAreaOut(Schema):
    year: int
    code: str | None
    total_villages: int
    total_towns: int
    growth_pct: float | None
    rows: list[ObservatoryAreaRowOut]


class ObservatoryAreaQuery(Schema):
    year: int = YEAR
    code: str = Field("", pattern=AREA_CODE, description="An area code; empty for the country.")


@router.get("/areas", response=ObservatoryAreaOut)
def areas(request, params: Query[ObservatoryAreaQuery]):
    """Children of an area (the country when no code): villages, towns, share, growth, rank."""
    parent = selectors.region_or_404(params.code) if params.code else None
    data = selectors.area_breakdown(params.year, parent)
    rows = [
        {
            **r,
            "share_pct": _pct(r["share_pct"]),
            "towns_share_pct": _pct(r["towns_share_pct"]),
            "growth_pct": _pct(r["growth_pct"]),
        }
        for r in data["rows"]
    ]
    return {
        "year": params.year,
        "code": params.code or None,
        "total_villages": data["total_villages"],
        "total_towns": data["total_towns"],
        "growth_pct": _pct(data["growth_pct"]),
        "rows": rows,
    }


# --- villages ------------------------------------------------------------------------------


class ObservatoryPlatformFiguresOut(Schema):
    """This platform's own figures for the village, kept beside imported statistics."""

    sales_minor: int
    currency: str = BASE_CURRENCY
    shops: int
    active_shops: int


class ObservatoryVillageOut(Schema):
    year: int
    code: str
    name: str
    qualified: bool
    sales_minor: int
    currency: str = BASE_CURRENCY
    online_shops: int
    active_shops: int
    households: int | None
    source: str = Field(..., description="Figures used: `import` or `platform`.")
    import_source: str
    rule_set: str
    platform: ObservatoryPlatformFiguresOut | None

    @staticmethod
    def resolve_code(d) -> str:
        return d.village_id

    @staticmethod
    def resolve_name(d) -> str:
        return d.village.short_name if d.village else ""

    @staticmethod
    def resolve_rule_set(d) -> str:
        return d.rule_set.name

    @staticmethod
    def resolve_platform(d) -> dict | None:
        if d.platform_shops is None:
            return None
        return {
            "sales_minor": d.platform_sales_minor or 0,
            "shops": d.platform_shops,
            "active_shops": d.platform_active_shops or 0,
        }


class ObservatoryReasonOut(Schema):
    ok: bool
    text: str


class ObservatoryVillageYearOut(ObservatoryVillageOut):
    why: list[ObservatoryReasonOut]

    @staticmethod
    def resolve_why(d) -> list[dict]:
        return explain_village(d)


class ObservatoryVillageHistoryOut(Schema):
    code: str
    name: str
    history: list[ObservatoryVillageYearOut]


class ObservatoryVillagesQuery(Schema):
    year: int = YEAR
    area: str = Field("", pattern=AREA_CODE, description="Any area code (2, 4, 6 or 9 digits).")


@router.get("/villages", response=list[ObservatoryVillageOut])
@paginate(PageNumber)
def villages(request, params: Query[ObservatoryVillagesQuery]):
    """Taobao villages of a year (optionally inside an area code), largest sales first."""
    return selectors.village_designations(params.year, area=params.area)


@router.get("/villages/{code}", response=ObservatoryVillageHistoryOut)
def village(request, code: str = Path(..., pattern=VILLAGE_CODE)):
    """A village's history and, per year, the rule set and why it did or did not qualify."""
    profile = selectors.village_profile(code)
    return {"code": code, "name": profile["village"].short_name, "history": profile["history"]}


class ObservatoryShopFiguresOut(Schema):
    shop_id: int
    name: str
    slug: str
    opened: str = Field(..., description="The day the shop opened (ISO date).")
    orders: int
    sales_minor: int
    refunds_minor: int
    net_minor: int
    currency: str = BASE_CURRENCY


class ObservatoryShopsQuery(Schema):
    year: int = YEAR


@router.get(
    "/villages/{code}/shops",
    auth=user_auth,
    response=list[ObservatoryShopFiguresOut],
)
@paginate(PageNumber)
def village_shops(
    request, params: Query[ObservatoryShopsQuery], code: str = Path(..., pattern=VILLAGE_CODE)
):
    """Operators only: which shops sold how much in the village that year."""
    require_operator(request.auth, str(_("Shop-level figures are for operators.")))
    selectors.village_profile(code)  # 404 for an unknown village
    return selectors.shop_figures(code, params.year)


# --- clusters ------------------------------------------------------------------------------


class ObservatoryClusterOut(Schema):
    year: int
    number: int
    name: str
    province_code: str
    villages: int
    sales_minor: int
    currency: str = BASE_CURRENCY
    very_large: bool
    members: list[str] = Field(..., description="Village codes of the cluster.")

    @staticmethod
    def resolve_villages(c) -> int:
        return c.village_count

    @staticmethod
    def resolve_members(c) -> list[str]:
        return [m.village_id for m in c.members.all()]


class ObservatoryClustersQuery(Schema):
    year: int = YEAR


@router.get("/clusters", response=list[ObservatoryClusterOut])
@paginate(PageNumber)
def clusters(request, params: Query[ObservatoryClustersQuery]):
    """Taobao village clusters of a year, largest first."""
    return selectors.clusters(params.year).prefetch_related("members")
