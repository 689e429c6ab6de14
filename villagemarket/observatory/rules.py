"""The Taobao village / town / cluster criteria as pure functions (no ORM).

A rule set's thresholds are optional: a threshold left empty is not tested. Each evaluation
returns a Verdict: whether it passes and one compact reason per test ("sales:pass",
"active:fail", ...) that pages turn into sentences with the figures and thresholds.

Comparisons follow AliResearch's wording: villages need "at least" (>=) the thresholds, the
alternative town rule of 2019 needs "over" (>) its sales and active shops.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Rules:
    """The thresholds of one rule set (a RuleSet row turned into plain data)."""

    name: str = "rules"
    village_min_sales_minor: int | None = None
    village_min_registered_shops: int | None = None
    village_min_active_shops: int | None = None
    village_min_active_share_pct: Decimal | None = None
    rural_only: bool = False
    active_min_days_open: int = 30
    active_window_months: int = 3
    active_min_orders: int = 3
    town_min_villages: int | None = None
    town_alt_min_sales_minor: int | None = None
    town_alt_min_active_shops: int | None = None
    exclude_subdistricts: bool = False
    cluster_min_villages: int = 10
    cluster_min_sales_minor: int = 100_000_000 * 100
    cluster_very_large_villages: int = 100
    contiguity_km: Decimal = Decimal("5")

    @classmethod
    def from_model(cls, rule_set) -> Rules:
        names = cls.__dataclass_fields__
        return cls(**{n: getattr(rule_set, n) for n in names})


@dataclass(frozen=True)
class VillageFigures:
    sales_minor: int
    online_shops: int
    active_shops: int
    households: int | None
    is_rural: bool | None


@dataclass(frozen=True)
class TownFigures:
    taobao_villages: int
    sales_minor: int
    active_shops: int
    township_kind: str  # subdistrict / town / township / other


@dataclass
class Verdict:
    passed: bool
    reasons: list[str] = field(default_factory=list)


# --- active shops -------------------------------------------------------------
# The one definition of an active shop. `active_shop_criteria` turns a rule set and a year into
# plain bounds; `is_active_shop` applies them to one shop, and compute.platform_figures writes
# the same bounds into its SQL (tests check that both count the same shops).


@dataclass(frozen=True)
class ActiveShopCriteria:
    """An active shop in `year`: opened on or before `opened_by` and at least `min_orders`
    orders on days from `window_start` to `window_end` (inclusive)."""

    opened_by: datetime.date
    window_start: datetime.date
    window_end: datetime.date
    min_orders: int

    def admits(self, opened: datetime.date, window_orders: int) -> bool:
        return opened <= self.opened_by and window_orders >= self.min_orders


def active_window(year: int, rules: Rules) -> tuple[datetime.date, datetime.date]:
    """First and last day of the months whose orders decide whether a shop is active."""
    first_month = 12 - rules.active_window_months + 1
    return datetime.date(year, first_month, 1), datetime.date(year, 12, 31)


def last_opening_day(year: int, rules: Rules) -> datetime.date:
    """A shop opened on or before this day has been open at least `active_min_days_open` days
    on 31 Dec.

    The opening day counts as a day open: opened 2 Dec is 30 days by 31 Dec, 3 Dec is 29.
    """
    return datetime.date(year, 12, 31) - datetime.timedelta(days=rules.active_min_days_open - 1)


def active_shop_criteria(year: int, rules: Rules) -> ActiveShopCriteria:
    """The bounds that make a shop active in `year` under `rules`: open long enough by year end
    and averaging one order a month over the window (>= the minimum orders)."""
    start, end = active_window(year, rules)
    return ActiveShopCriteria(last_opening_day(year, rules), start, end, rules.active_min_orders)


def is_active_shop(opened: datetime.date, window_orders: int, year: int, rules: Rules) -> bool:
    """Is a shop opened on `opened`, with `window_orders` orders in the window, active?"""
    return active_shop_criteria(year, rules).admits(opened, window_orders)


# --- village ------------------------------------------------------------------


def evaluate_village(f: VillageFigures, rules: Rules) -> Verdict:
    """Does a village with these figures qualify as a Taobao village under these rules?"""
    reasons = []
    if rules.rural_only:
        reasons.append("rural:pass" if f.is_rural else "rural:fail")
    if rules.village_min_registered_shops is not None:
        ok = f.online_shops >= rules.village_min_registered_shops
        reasons.append("registered:pass" if ok else "registered:fail")
    if rules.village_min_sales_minor is not None:
        ok = f.sales_minor >= rules.village_min_sales_minor
        reasons.append("sales:pass" if ok else "sales:fail")
    if rules.village_min_active_shops is not None or rules.village_min_active_share_pct is not None:
        reasons.append(_active_reason(f, rules))
    return Verdict(passed=all(r.endswith(":pass") for r in reasons), reasons=reasons)


def _active_reason(f: VillageFigures, rules: Rules) -> str:
    """Either enough active shops, or active shops as a large enough share of households."""
    if (
        rules.village_min_active_shops is not None
        and f.active_shops >= rules.village_min_active_shops
    ):
        return "active_count:pass"
    share = rules.village_min_active_share_pct
    # Exact: active / households >= share / 100  <=>  active * 100 >= share * households.
    if share is not None and f.households and Decimal(f.active_shops) * 100 >= share * f.households:
        return "active_share:pass"
    return "active:fail"


# --- town ---------------------------------------------------------------------


def evaluate_town(f: TownFigures, rules: Rules) -> Verdict:
    """Is a township with these figures a Taobao town under these rules?"""
    if rules.town_min_villages is None:
        return Verdict(False, ["towns:none"])  # the rules of that year had no towns
    if rules.exclude_subdistricts and f.township_kind == "subdistrict":
        return Verdict(False, ["subdistrict:fail"])
    if f.taobao_villages >= rules.town_min_villages:
        return Verdict(True, ["villages:pass"])
    reasons = ["villages:fail"]
    if rules.town_alt_min_sales_minor is not None and rules.town_alt_min_active_shops is not None:
        ok = (
            f.sales_minor > rules.town_alt_min_sales_minor
            and f.active_shops > rules.town_alt_min_active_shops
        )
        reasons.append("alt:pass" if ok else "alt:fail")
        return Verdict(ok, reasons)
    return Verdict(False, reasons)


# --- cluster ------------------------------------------------------------------


def evaluate_cluster(village_count: int, sales_minor: int, rules: Rules) -> tuple[bool, bool]:
    """(is a cluster, is a very large cluster) for contiguous Taobao villages with these totals."""
    ok = (
        village_count >= rules.cluster_min_villages and sales_minor >= rules.cluster_min_sales_minor
    )
    return ok, ok and village_count >= rules.cluster_very_large_villages


EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Place:
    """A Taobao village as clustering sees it."""

    code: str
    township_code: str
    sales_minor: int
    lat: float | None = None
    lon: float | None = None


def contiguous_groups(places: list[Place], km: float) -> list[list[Place]]:
    """Connected components: two villages touch when both have coordinates within `km`, otherwise
    (one lacks coordinates) when they share a township. Grid buckets keep it near-linear."""
    parent = list(range(len(places)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    _union_by_distance(places, km, union)
    _link_township_members_to_coordless(places, union)
    groups: dict[int, list[Place]] = {}
    for i, p in enumerate(places):
        groups.setdefault(find(i), []).append(p)
    return list(groups.values())


def _union_by_distance(places: list[Place], km: float, union) -> None:
    cell_deg = max(
        km / 111.0, 1e-6
    )  # a degree of latitude is ~111 km; longitude cells are narrower
    grid: dict[tuple[int, int], list[int]] = {}
    for i, p in enumerate(places):
        if p.lat is None or p.lon is None:
            continue
        cx, cy = int(p.lat // cell_deg), int(p.lon // cell_deg)
        # Longitude degrees shrink with latitude: widen the search so no neighbour is missed.
        reach = math.ceil(1 / max(math.cos(math.radians(p.lat)), 0.01))
        for dx in (-1, 0, 1):
            for dy in range(-reach, reach + 1):
                for j in grid.get((cx + dx, cy + dy), ()):
                    q = places[j]
                    if distance_km(p.lat, p.lon, q.lat, q.lon) <= km:
                        union(i, j)
        grid.setdefault((cx, cy), []).append(i)


def _link_township_members_to_coordless(places: list[Place], union) -> None:
    """Every village in a township that has a village without coordinates joins that village."""
    coordless: dict[str, int] = {}
    for i, p in enumerate(places):
        if p.lat is None or p.lon is None:
            coordless.setdefault(p.township_code, i)
    for i, p in enumerate(places):
        j = coordless.get(p.township_code)
        if j is not None:
            union(i, j)
