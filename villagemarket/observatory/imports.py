"""Imported village statistics: validate a whole CSV file, then store it per source and year.

All or nothing: one bad row refuses the file, naming every bad row (up to a limit) and why.
Importing the same source and year again replaces that import; remove_import deletes it.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid, NotFound
from villagemarket.observatory.models import ImportBatch, VillageStat
from villagemarket.regions.models import Region

REQUIRED = [
    "village_code",
    "year",
    "online_shops",
    "active_shops",
    "households",
    "annual_sales_yuan",
]
OPTIONAL = ["lat", "lon"]
FIRST_YEAR = 2009  # the first Taobao villages were counted in 2009
MAX_REPORTED = 50
SALES_RE = re.compile(r"^\d+(\.\d{1,2})?$")
INT_RE = re.compile(r"^\d+$")


@dataclass
class ParsedRow:
    line: int
    village_code: str
    year: int
    online_shops: int
    active_shops: int
    households: int
    sales_minor: int
    lat: float | None
    lon: float | None


def parse_statistics(text: str) -> list[ParsedRow]:
    """Parse and check every row; raise Invalid naming each bad row (line numbers count the
    header as 1).
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise Invalid(
            _("The file needs the columns %(cols)s.") % {"cols": ", ".join(REQUIRED)},
            fields={"file": [_("missing columns: %(cols)s") % {"cols": ", ".join(missing)}]},
        )
    reader.fieldnames = header
    errors: list[str] = []
    rows: list[ParsedRow] = []
    seen: dict[tuple[str, int], int] = {}
    for line, raw in enumerate(reader, start=2):
        row, problems = _parse_row(line, raw)
        if row is not None:
            first = seen.setdefault((row.village_code, row.year), line)
            if first != line:
                problems.append(
                    _("duplicate of line %(line)s (same village and year)") % {"line": first}
                )
        errors.extend(f"{_('line')} {line}: {p}" for p in problems)
        if row is not None and not problems:
            rows.append(row)
    if not rows and not errors:
        errors.append(_("the file has no rows"))
    errors.extend(_check_villages(rows))
    if errors:
        shown = errors[:MAX_REPORTED]
        if len(errors) > MAX_REPORTED:
            shown.append(_("… and %(n)s more problems") % {"n": len(errors) - MAX_REPORTED})
        raise Invalid(
            _("%(n)s problems in the file; nothing was imported.") % {"n": len(errors)},
            fields={"file": shown},
        )
    return rows


def _parse_row(line: int, raw: dict) -> tuple[ParsedRow | None, list[str]]:
    def value(name: str) -> str:
        return (raw.get(name) or "").strip()

    problems: list[str] = []
    code = value("village_code")
    if not re.fullmatch(r"\d{12}", code):
        problems.append(_("village_code must be a 12-digit village code"))
    year_text = value("year")
    year = int(year_text) if INT_RE.match(year_text) else None
    if year is None or not FIRST_YEAR <= year <= datetime.date.today().year:
        problems.append(
            _("year must be between %(a)s and %(b)s")
            % {"a": FIRST_YEAR, "b": datetime.date.today().year}
        )
    counts = {}
    for name in ("online_shops", "active_shops", "households"):
        text = value(name)
        if not INT_RE.match(text):
            problems.append(_("%(col)s must be a whole number, 0 or more") % {"col": name})
        else:
            counts[name] = int(text)
    if len(counts) == 3 and counts["active_shops"] > counts["online_shops"]:
        problems.append(_("active_shops cannot exceed online_shops"))
    sales = value("annual_sales_yuan")
    if not SALES_RE.match(sales):
        problems.append(
            _(
                "annual_sales_yuan must be an amount in yuan with at most 2 decimals, "
                "e.g. 12500000.50"
            )
        )
    lat, lon, coord_problem = _parse_coordinates(value("lat"), value("lon"))
    if coord_problem:
        problems.append(coord_problem)
    if problems:
        return None, problems
    whole, _dot, cents = sales.partition(".")
    sales_minor = int(whole) * 100 + int((cents + "00")[:2])
    return ParsedRow(
        line,
        code,
        year,
        counts["online_shops"],
        counts["active_shops"],
        counts["households"],
        sales_minor,
        lat,
        lon,
    ), []


def _parse_coordinates(
    lat_text: str, lon_text: str
) -> tuple[float | None, float | None, str | None]:
    if not lat_text and not lon_text:
        return None, None, None
    if not lat_text or not lon_text:
        return None, None, _("give both lat and lon, or neither")
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        return None, None, _("lat and lon must be numbers")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None, _("lat must be within -90..90 and lon within -180..180")
    return lat, lon, None


def _check_villages(rows: list[ParsedRow]) -> list[str]:
    """Every code must be a village-level region we know (one query per 900 codes)."""
    codes = sorted({r.village_code for r in rows})
    known: set[str] = set()
    for i in range(0, len(codes), 900):
        chunk = codes[i : i + 900]
        known.update(Region.objects.filter(code__in=chunk, level=5).values_list("code", flat=True))
    return [
        f"{_('line')} {r.line}: "
        + _("%(code)s is not a known village (level 5) region") % {"code": r.village_code}
        for r in rows
        if r.village_code not in known
    ]


def import_statistics(
    *, text: str, source: str, file_name: str, created_by=None
) -> list[ImportBatch]:
    """Validate a statistics CSV and store it; an earlier import of the same source and year is
    replaced.
    """
    source = (source or "").strip()
    if not source or len(source) > 60:
        raise Invalid(
            _("Name the source (up to 60 characters)."), fields={"source": [_("required")]}
        )
    rows = parse_statistics(text)
    years = sorted({r.year for r in rows})
    with transaction.atomic():
        ImportBatch.objects.filter(source=source, year__in=years).delete()
        batches = []
        for year in years:
            year_rows = [r for r in rows if r.year == year]
            batch = ImportBatch.objects.create(
                source=source,
                year=year,
                file_name=file_name[:200],
                rows=len(year_rows),
                created_by=created_by,
            )
            VillageStat.objects.bulk_create(
                [
                    VillageStat(
                        batch=batch,
                        village_id=r.village_code,
                        year=year,
                        online_shops=r.online_shops,
                        active_shops=r.active_shops,
                        households=r.households,
                        sales_minor=r.sales_minor,
                        latitude=r.lat,
                        longitude=r.lon,
                    )
                    for r in year_rows
                ],
                batch_size=2000,
            )
            batches.append(batch)
    return batches


def remove_import(*, source: str, year: int | None = None) -> int:
    """Delete a source's imports (one year, or all years); returns how many imports were removed."""
    batches = ImportBatch.objects.filter(source=source)
    if year is not None:
        batches = batches.filter(year=year)
    with transaction.atomic():
        count = batches.count()
        if not count:
            raise NotFound(
                _("No import of that source and year."), fields={"source": [_("not found")]}
            )
        batches.delete()
    return count
