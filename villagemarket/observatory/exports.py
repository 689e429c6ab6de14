"""CSV and XLSX exports of every observatory table. Aggregates are public; the shops table is
staff-only. Cells go through core.exports (formula-looking text neutralised; money as numbers).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from villagemarket.core.errors import Forbidden, Invalid
from villagemarket.core.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes
from villagemarket.core.money import Money
from villagemarket.observatory import selectors

TABLES = ("summary", "areas", "villages", "towns", "clusters", "shops")
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def _money(minor) -> Money:
    """An observatory sum (stored in the base currency's minor units) as Money for the sheet."""
    return Money(int(minor or 0))


def table_rows(
    table: str, *, year: int | None, area: str = "", staff: bool = False
) -> tuple[list, Iterable]:
    """(header, rows) of an exportable table."""
    if table not in TABLES:
        raise Invalid(
            _("Unknown table."),
            fields={"table": [_("one of %(tables)s") % {"tables": ", ".join(TABLES)}]},
        )
    if table == "summary":
        keys = [
            "year",
            "villages",
            "published_villages",
            "villages_diff",
            "towns",
            "published_towns",
            "towns_diff",
            "clusters",
            "growth_pct",
        ]
        return keys, ([r[k] for k in keys] for r in selectors.national_summary())
    if year is None:
        raise Invalid(_("Choose a year."), fields={"year": [_("required for this table")]})
    if table == "areas":
        parent = selectors.region_or_404(area) if area else None
        data = selectors.area_breakdown(year, parent)
        keys = [
            "rank",
            "code",
            "name",
            "villages",
            "share_pct",
            "villages_before",
            "growth_pct",
            "towns",
            "towns_share_pct",
        ]
        return keys + ["sales_yuan"], (
            [*(r[k] for k in keys), _money(r["sales_minor"])] for r in data["rows"]
        )
    if table == "villages":
        qs = selectors.village_designations(year, area=area, qualified=None)
        header = [
            "year",
            "village_code",
            "village",
            "county_code",
            "qualified",
            "sales_yuan",
            "online_shops",
            "active_shops",
            "households",
            "source",
            "import_source",
            "rule_set",
            "reasons",
        ]
        return header, (
            [
                d.year,
                d.village_id,
                d.village.short_name if d.village else "",
                d.county_code,
                d.qualified,
                _money(d.sales_minor),
                d.online_shops,
                d.active_shops,
                d.households,
                d.source,
                d.import_source,
                d.rule_set.name,
                " ".join(d.reasons),
            ]
            for d in qs.iterator(chunk_size=2000)
        )
    if table == "towns":
        header = [
            "year",
            "township_code",
            "township",
            "taobao_villages",
            "sales_yuan",
            "active_shops",
        ]
        return header, (
            [
                t.year,
                t.township_id,
                t.township.short_name if t.township else "",
                t.taobao_villages,
                _money(t.sales_minor),
                t.active_shops,
            ]
            for t in selectors.town_designations(year, area=area)
        )
    if table == "clusters":
        header = ["year", "number", "name", "province_code", "villages", "sales_yuan", "very_large"]
        return header, (
            [
                c.year,
                c.number,
                c.name,
                c.province_code,
                c.village_count,
                _money(c.sales_minor),
                c.very_large,
            ]
            for c in selectors.clusters(year)
        )
    if not staff:
        raise Forbidden(_("Shop-level figures are for operators."))
    if not area:
        raise Invalid(_("Choose a village."), fields={"area": [_("a village code")]})
    header = ["shop_id", "name", "opened", "orders", "sales_yuan", "refunds_yuan", "net_yuan"]
    return header, (
        [
            r["shop_id"],
            r["name"],
            r["opened"],
            r["orders"],
            _money(r["sales_minor"]),
            _money(r["refunds_minor"]),
            _money(r["net_minor"]),
        ]
        for r in selectors.shop_figures(area, year)
    )


def export_table(
    table: str, *, year: int | None, fmt: str, area: str = "", staff: bool = False
) -> tuple[bytes, str]:
    """The table as CSV (UTF-8 with BOM, so Excel shows Chinese) or XLSX bytes, with its
    content type.
    """
    if fmt not in CONTENT_TYPES:
        raise Invalid(_("Unknown format."), fields={"format": [_("csv or xlsx")]})
    header, rows = table_rows(table, year=year, area=area, staff=staff)
    if fmt == "csv":
        return csv_bytes(header, rows), CONTENT_TYPES["csv"]
    return xlsx_bytes(table, header, rows), CONTENT_TYPES["xlsx"]
