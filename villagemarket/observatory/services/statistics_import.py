"""Imported village statistics: validate a whole CSV file, then store it per source and year.

All or nothing: one bad row refuses the file, naming every bad row (up to a limit) and why.
Importing the same source and year again replaces that import; remove_import deletes it.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from villagemarket.core.errors import Invalid, NotFound
from villagemarket.core.money import Money
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
# Plausibility bounds: the largest Taobao villages have a few thousand shops and households;
# a figure past these is a typing or unit error, and would overflow the columns anyway.
MAX_COUNT = 100_000
MAX_SALES_YUAN = 10**12  # a trillion yuan: more than any county sells online in a year
# ASCII digits only ([0-9], not \d: "٣" or full-width "３" are not figures a statistics
# office writes), and bounded lengths, so int() and Decimal never see a 5,000-digit number.
SALES_RE = re.compile(r"[0-9]{1,13}(\.[0-9]{1,2})?")
INT_RE = re.compile(r"[0-9]{1,9}")
CODE_RE = re.compile(r"[0-9]{12}")
COORDINATE_RE = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,12})?")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


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


def _line_problem(line: int, problem: str) -> str:
    return _("line %(line)s: %(problem)s") % {"line": line, "problem": problem}


def _records(text: str) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line, row, problem) per data line; a line the csv module cannot read is a problem, not a
    crash (e.g. a field over its size limit)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [(h or "").strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise Invalid(
            _("The file is not a readable CSV file."),
            fields={"file": [_line_problem(1, str(exc))]},
        ) from exc
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise Invalid(
            _("The file needs the columns %(cols)s.") % {"cols": ", ".join(REQUIRED)},
            fields={"file": [_("missing columns: %(cols)s") % {"cols": ", ".join(missing)}]},
        )
    reader.fieldnames = header
    while True:
        last_good = reader.line_num
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield (
                last_good + 1,
                None,
                _("the line is not valid CSV (an unclosed quote or a huge field)"),
            )
            return
        yield reader.line_num, raw, None


def parse_statistics(text: str) -> list[ParsedRow]:
    """Parse and check every row; raise Invalid naming each bad row (line numbers count the
    header as 1).
    """
    errors: list[str] = []
    rows: list[ParsedRow] = []
    seen: dict[tuple[str, int], int] = {}
    for line, raw, unreadable in _records(text):
        row, problems = (None, [unreadable]) if unreadable else _parse_row(line, raw)
        if row is not None:
            first = seen.setdefault((row.village_code, row.year), line)
            if first != line:
                problems.append(
                    _("duplicate of line %(line)s (same village and year)") % {"line": first}
                )
        errors.extend(_line_problem(line, p) for p in problems)
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

    if any(CONTROL_RE.search(v) for v in _cells(raw)):
        return None, [_("the line contains control characters (e.g. NUL)")]
    problems: list[str] = []
    code = value("village_code")
    if not CODE_RE.fullmatch(code):
        problems.append(_("village_code must be a 12-digit village code"))
    year_text = value("year")
    year = int(year_text) if INT_RE.fullmatch(year_text) else None
    if year is None or not FIRST_YEAR <= year <= datetime.date.today().year:
        problems.append(
            _("year must be between %(a)s and %(b)s")
            % {"a": FIRST_YEAR, "b": datetime.date.today().year}
        )
    counts = _parse_counts(value, problems)
    sales_minor = _parse_sales(value("annual_sales_yuan"), problems)
    lat, lon, coord_problem = _parse_coordinates(value("lat"), value("lon"))
    if coord_problem:
        problems.append(coord_problem)
    if problems:
        return None, problems
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


def _cells(raw: dict) -> Iterator[str]:
    for key, value in raw.items():
        if key is None:  # more cells than columns: csv gives them as a list
            yield from (v for v in value if isinstance(v, str))
        elif isinstance(value, str):
            yield value


def _parse_counts(value, problems: list[str]) -> dict[str, int]:
    counts = {}
    for name in ("online_shops", "active_shops", "households"):
        text = value(name)
        if not INT_RE.fullmatch(text) or int(text) > MAX_COUNT:
            problems.append(
                _("%(col)s must be a whole number from 0 to %(max)s")
                % {"col": name, "max": f"{MAX_COUNT:,}"}
            )
        else:
            counts[name] = int(text)
    if len(counts) == 3 and counts["active_shops"] > counts["online_shops"]:
        problems.append(_("active_shops cannot exceed online_shops"))
    return counts


def _parse_sales(text: str, problems: list[str]) -> int:
    """The yuan amount in minor units through Money (the pattern bounds it first)."""
    if SALES_RE.fullmatch(text):
        sales = Money.parse(text)
        if sales <= Money.parse(MAX_SALES_YUAN):
            return sales.minor
    problems.append(
        _(
            "annual_sales_yuan must be an amount in yuan with at most 2 decimals, "
            "up to %(max)s, e.g. 12500000.50"
        )
        % {"max": f"{MAX_SALES_YUAN:,}"}
    )
    return 0


def _parse_coordinates(
    lat_text: str, lon_text: str
) -> tuple[float | None, float | None, str | None]:
    if not lat_text and not lon_text:
        return None, None, None
    if not lat_text or not lon_text:
        return None, None, _("give both lat and lon, or neither")
    if not (COORDINATE_RE.fullmatch(lat_text) and COORDINATE_RE.fullmatch(lon_text)):
        return None, None, _("lat and lon must be decimal numbers, e.g. 34.8 and 115.5")
    lat, lon = float(lat_text), float(lon_text)
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
        _line_problem(
            r.line, _("%(code)s is not a known village (level 5) region") % {"code": r.village_code}
        )
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
    if not source or len(source) > 60 or CONTROL_RE.search(source):
        raise Invalid(
            _("Name the source (up to 60 characters)."),
            fields={"source": [_("required, up to 60 characters, no control characters")]},
        )
    file_name = CONTROL_RE.sub("", file_name or "")
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
    if CONTROL_RE.search(source or ""):
        raise NotFound(_("No import of that source and year."), fields={"source": [_("not found")]})
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
