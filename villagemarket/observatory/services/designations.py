"""The yearly computation: figures per village from both sources, designations, towns and clusters.

Built for the national scale (700,000 villages, 1,000,000 shops): the platform's figures are one
GROUP BY over the year's rollups, imported rows are streamed, and results are written with COPY
(PostgreSQL) or executemany (SQLite) — never a query per village. A recompute replaces the
year's rows in one transaction, so it is idempotent and readers never see half a year.

Precedence (documented in docs/observatory.md): where a village has imported statistics for
the year, they are used (official counts cover every platform; ours is a partial view); the
platform's own figures are kept beside them. Among several imports, the latest one wins.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid, NotFound
from villagemarket.observatory import rules as R
from villagemarket.observatory.models import (
    Cluster,
    ClusterMember,
    RuleSet,
    TownDesignation,
    VillageDesignation,
    VillageStat,
)
from villagemarket.shops.selectors import shops_opened_before

Progress = Callable[[str, int, int], None]  # (stage, done, total)

VD_COLUMNS = [
    "year",
    "village_id",
    "rule_set_id",
    "qualified",
    "source",
    "import_source",
    "sales_minor",
    "online_shops",
    "active_shops",
    "households",
    "platform_sales_minor",
    "platform_shops",
    "platform_active_shops",
    "reasons",
    "province_code",
    "prefecture_code",
    "county_code",
    "township_code",
]
TD_COLUMNS = [
    "year",
    "township_id",
    "rule_set_id",
    "qualified",
    "taobao_villages",
    "sales_minor",
    "active_shops",
    "reasons",
    "province_code",
    "prefecture_code",
    "county_code",
    "township_code",
]


@dataclass
class ComputeResult:
    year: int
    rule_set: str
    villages: int = 0
    taobao_villages: int = 0
    towns: int = 0
    clusters: int = 0


@dataclass
class _TownTotals:
    villages: int = 0
    sales_minor: int = 0
    active_shops: int = 0


@dataclass
class _State:
    year: int
    rule_set: RuleSet
    rules: R.Rules
    towns: dict[str, _TownTotals] = field(default_factory=dict)
    places: list[R.Place] = field(default_factory=list)
    result: ComputeResult | None = None


def rule_set_for(year: int, name: str | None = None) -> RuleSet:
    """The rule set named (or numbered) `name`, else the one in force in `year` (latest start
    wins).
    """
    if name:
        name = str(name)
        found = None
        if len(name) <= 60 and name.isprintable():
            found = RuleSet.objects.filter(name=name).first()
        if found is None and re.fullmatch(r"[0-9]{1,9}", name):
            found = RuleSet.objects.filter(pk=int(name)).first()
        if found is None:
            raise NotFound(
                _("No rule set named %(name)s.") % {"name": name[:60]},
                fields={"rules": [_("unknown rule set")]},
            )
        return found
    found = (
        RuleSet.objects.filter(year_from__lte=year)
        .exclude(year_to__lt=year)
        .order_by("-year_from", "-pk")
        .first()
    )
    if found is None:
        raise NotFound(
            _("No rule set covers %(year)s.") % {"year": year},
            fields={"year": [_("no rule set for this year")]},
        )
    return found


def compute_year(
    year: int, rules_name: str | None = None, progress: Progress | None = None
) -> ComputeResult:
    """Recompute a year's village, town and cluster designations from the rollups and imports."""
    if not 2000 <= year <= 2100:
        raise Invalid(
            _("Choose a year between 2000 and 2100."), fields={"year": [_("out of range")]}
        )
    rule_set = rule_set_for(year, rules_name)
    state = _State(year, rule_set, R.Rules.from_model(rule_set))
    state.result = ComputeResult(year=year, rule_set=rule_set.name)
    report = progress or (lambda stage, done, total: None)
    with transaction.atomic():
        report("platform", 0, 1)
        platform = platform_figures(year, state.rules)
        report("platform", 1, 1)
        for model in (ClusterMember,):
            model.objects.filter(cluster__year=year).delete()
        for model in (Cluster, TownDesignation, VillageDesignation):
            model.objects.filter(year=year).delete()
        for chunk in _village_chunks(state, platform, report):
            _bulk_insert(VillageDesignation._meta.db_table, VD_COLUMNS, chunk)
        _write_towns(state)
        _write_clusters(state)
    return state.result


# --- sources ---------------------------------------------------------------------


def _local_midnight(day: datetime.date):
    aware = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    return connection.ops.adapt_datetimefield_value(aware)


def platform_figures(year: int, rules: R.Rules) -> dict[str, tuple[int, int, int]]:
    """village code -> (online shops, active shops, net sales in fen) from the year's daily rollups.

    Online shops come from shops.selectors.shops_opened_before (this app knows no shop statuses).
    Active shops: the bounds of rules.active_shop_criteria written into SQL, so the database and
    rules.is_active_shop apply one definition (test_compute checks they agree).
    """
    criteria = R.active_shop_criteria(year, rules)
    opened_by = _local_midnight(criteria.opened_by + datetime.timedelta(days=1))
    year_end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    shops = shops_opened_before(year_end).order_by().values("id", "village_id", "created_at")
    shops_sql, shops_params = shops.query.sql_with_params()
    # Per shop first (shops in key order, each probing its rollups through the unique
    # (shop, day) index: no sort of the rollups), then per village.
    sql = f"""
        SELECT v, COUNT(*),
               SUM(CASE WHEN created_at < %s AND w >= %s THEN 1 ELSE 0 END), SUM(net)
        FROM (
            SELECT s.village_id AS v, s.created_at AS created_at,
                   COALESCE(SUM(r.sales_minor - r.refunds_minor), 0) AS net,
                   COALESCE(SUM(CASE WHEN r.day >= %s AND r.day <= %s
                                THEN r.orders ELSE 0 END), 0) AS w
            FROM ({shops_sql}) s
            LEFT JOIN observatory_shopdailysales r
                   ON r.shop_id = s.id AND r.day >= %s AND r.day <= %s
            GROUP BY s.id, s.village_id, s.created_at
        ) per_shop
        GROUP BY v
    """  # noqa: S608 - the inner query is Django's, with its own placeholders
    params = [
        opened_by,
        criteria.min_orders,
        criteria.window_start,
        criteria.window_end,
        *shops_params,
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
    ]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return {
            code: (int(n), int(active or 0), int(net or 0))
            for code, n, active, net in cur.fetchall()
        }


IMPORT_SQL = """
    SELECT st.village_id, b.source, st.online_shops, st.active_shops, st.households, st.sales_minor,
           COALESCE(st.latitude, rg.latitude), COALESCE(st.longitude, rg.longitude), rg.is_rural,
           rg.province_code, rg.prefecture_code, rg.county_code, rg.township_code
    FROM observatory_villagestat st
    JOIN observatory_importbatch b ON b.id = st.batch_id
    JOIN regions_region rg ON rg.code = st.village_id
    WHERE st.year = %s
    ORDER BY st.village_id, b.created_at, b.id
"""
REGION_SQL = """
    SELECT code, households, latitude, longitude, is_rural, province_code, prefecture_code,
           county_code, township_code
    FROM regions_region WHERE code IN ({})
"""


def _stream(sql: str, params: list, size: int = 20_000) -> Iterator[list[tuple]]:
    """Chunks of a big result. PostgreSQL: a server-side cursor, so memory stays flat and COPY can
    run between fetches on the same connection. SQLite reads lazily anyway."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with connection.connection.cursor(name="observatory_stream") as cur:
            cur.execute(sql, params)
            while chunk := cur.fetchmany(size):
                yield chunk
        return
    with connection.cursor() as cur:
        cur.execute(sql, params)
        while chunk := cur.fetchmany(size):
            yield chunk


def _latest_per_village(chunks: Iterator[list[tuple]]) -> Iterator[list[tuple]]:
    """Rows come ordered by village then import time: keep the last row of each village."""
    pending = None
    for chunk in chunks:
        out = []
        for row in chunk:
            if pending is not None and pending[0] != row[0]:
                out.append(pending)
            pending = row
        yield out
    if pending is not None:
        yield [pending]


def _platform_only_rows(codes: list[str]) -> Iterator[list[tuple]]:
    with connection.cursor() as cur:
        for i in range(0, len(codes), 900):
            chunk = codes[i : i + 900]
            cur.execute(REGION_SQL.format(",".join(["%s"] * len(chunk))), chunk)
            yield cur.fetchall()


# --- villages ---------------------------------------------------------------------


def _village_chunks(state: _State, platform: dict, report: Progress) -> Iterator[list[tuple]]:
    """Designation rows, a chunk at a time: imported villages first, then platform-only ones."""
    total = VillageStat.objects.filter(year=state.year).count() + len(platform)
    done = 0
    for chunk in _latest_per_village(_stream(IMPORT_SQL, [state.year])):
        out = []
        for code, source, online, active, households, sales, lat, lon, rural, *place in chunk:
            mine = platform.pop(code, None)
            figures = R.VillageFigures(sales, online, active, households, rural)
            out.append(_designation(state, code, figures, "import", source, mine, lat, lon, place))
        done += len(chunk)
        report("villages", done, total)
        yield out
    for chunk in _platform_only_rows(sorted(platform)):
        out = []
        for code, households, lat, lon, rural, *place in chunk:
            online, active, sales = platform[code]
            figures = R.VillageFigures(sales, online, active, households, rural)
            out.append(
                _designation(state, code, figures, "platform", "", platform[code], lat, lon, place)
            )
        done += len(chunk)
        report("villages", done, total)
        yield out


def _designation(
    state: _State, code, f: R.VillageFigures, source, import_source, mine, lat, lon, place
):
    verdict = R.evaluate_village(f, state.rules)
    result = state.result
    result.villages += 1
    township = place[3]
    totals = state.towns.setdefault(township, _TownTotals())
    totals.sales_minor += f.sales_minor
    totals.active_shops += f.active_shops
    if verdict.passed:
        result.taobao_villages += 1
        totals.villages += 1
        state.places.append(R.Place(code, township, f.sales_minor, lat, lon))
    p_shops, p_active, p_sales = mine if mine is not None else (None, None, None)
    return (
        state.year,
        code,
        state.rule_set.pk,
        verdict.passed,
        source,
        import_source,
        f.sales_minor,
        f.online_shops,
        f.active_shops,
        f.households,
        p_sales,
        p_shops,
        p_active,
        _reasons_json(verdict.reasons),
        *place,
    )


_REASONS: dict[tuple, str] = {}


def _reasons_json(reasons: list[str]) -> str:
    # A handful of distinct combinations across 700,000 villages: encode each once.
    key = tuple(reasons)
    if key not in _REASONS:
        _REASONS[key] = json.dumps(reasons)
    return _REASONS[key]


# --- towns and clusters -------------------------------------------------------------


def _write_towns(state: _State) -> None:
    kinds: dict[str, str] = {}
    codes = sorted(c for c in state.towns if c)
    with connection.cursor() as cur:
        for i in range(0, len(codes), 900):
            chunk = codes[i : i + 900]
            cur.execute(
                "SELECT code, township_kind FROM regions_region WHERE code IN "  # noqa: S608 - placeholders only
                f"({','.join(['%s'] * len(chunk))})",
                chunk,
            )
            kinds.update(cur.fetchall())
    rows = []
    for code in codes:
        if code not in kinds:
            continue  # a village whose township is not loaded: it cannot be a town
        t = state.towns[code]
        verdict = R.evaluate_town(
            R.TownFigures(t.villages, t.sales_minor, t.active_shops, kinds[code]), state.rules
        )
        state.result.towns += verdict.passed
        rows.append(
            (
                state.year,
                code,
                state.rule_set.pk,
                verdict.passed,
                t.villages,
                t.sales_minor,
                t.active_shops,
                _reasons_json(verdict.reasons),
                code[:2],
                code[:4],
                code[:6],
                code,
            )
        )
    _bulk_insert(TownDesignation._meta.db_table, TD_COLUMNS, rows)


def _write_clusters(state: _State) -> None:
    groups = R.contiguous_groups(state.places, float(state.rules.contiguity_km))
    qualified = []
    for group in groups:
        ok, very_large = R.evaluate_cluster(
            len(group), sum(p.sales_minor for p in group), state.rules
        )
        if ok:
            qualified.append((group, very_large))
    qualified.sort(key=lambda g: (-len(g[0]), min(p.code for p in g[0])))
    names = _cluster_names([min(p.township_code for p in g) for g, _very_large in qualified])
    for number, (group, very_large) in enumerate(qualified, start=1):
        first = min(p.township_code for p in group)
        cluster = Cluster.objects.create(
            year=state.year,
            number=number,
            name=names.get(first, first),
            province_code=first[:2],
            village_count=len(group),
            sales_minor=sum(p.sales_minor for p in group),
            very_large=very_large,
            rule_set=state.rule_set,
        )
        ClusterMember.objects.bulk_create(
            [ClusterMember(cluster=cluster, village_id=p.code) for p in group], batch_size=2000
        )
    state.result.clusters = len(qualified)


def _cluster_names(township_codes: list[str]) -> dict[str, str]:
    """A cluster is named after the county and township of its first village (e.g. 曹县大集镇)."""
    from villagemarket.regions.models import Region

    codes = set(township_codes) | {c[:6] for c in township_codes}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "short_name"))
    return {c: f"{names.get(c[:6], '')}{names.get(c, c)}" for c in township_codes}


# --- bulk writing -------------------------------------------------------------------


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    return str(value).translate(_COPY_ESCAPES)


def _bulk_insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    """COPY on PostgreSQL, executemany on SQLite: the fastest plain way each engine offers."""
    if not rows:
        return
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # Text-format COPY lines built here: several times faster than adapting each value.
            data = "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)
            with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(data.encode())
            return
        # The raw sqlite3 connection: Django's wrapper re-processes every parameter tuple.
        marks = ", ".join(["?"] * len(columns))
        connection.connection.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608 - our table names
            rows,
        )
