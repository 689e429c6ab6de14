"""Operators import villages (households, coordinates, missing ones) from a CSV: all or none."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.regions import rules
from villagemarket.regions.models import Level, Region
from villagemarket.regions.village_csv import RowError, VillageRow, decode, parse_villages

CHUNK = 900  # stays under SQLite's and PostgreSQL's parameter limits in IN (...) lookups
IMPORT_FIELDS = [
    "name",
    "short_name",
    "name_pinyin",
    "name_latin",
    "households",
    "is_rural",
    "latitude",
    "longitude",
    "imported_at",
]


@dataclass
class ImportResult:
    """What an import did: created/updated counts, or every bad row (then nothing was written)."""

    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _township_errors(rows: list[VillageRow]) -> list[RowError]:
    codes = sorted({row.township_code for row in rows})
    levels: dict[str, int] = {}
    for chunk in _chunks(codes):
        levels.update(Region.objects.filter(code__in=chunk).values_list("code", "level"))
    errors = []
    for row in rows:
        level = levels.get(row.township_code)
        if level is None:
            reason = _("township %(code)s does not exist") % {"code": row.township_code}
        elif level != Level.TOWNSHIP:
            reason = _("%(code)s is not a township") % {"code": row.township_code}
        else:
            continue
        errors.append(RowError(row.row, "township_code", reason))
    return errors


def _apply(region: Region, row: VillageRow, now) -> None:
    """Blank households, class or coordinates keep what the row already had."""
    region.name = row.name
    region.short_name = rules.village_short_name(row.name)
    region.name_pinyin = rules.name_pinyin(region.short_name)
    region.name_latin = rules.latin_name(region.short_name)
    if row.households is not None:
        region.households = row.households
    if row.is_rural is not None:
        region.is_rural = row.is_rural
    elif region.is_rural is None:
        region.is_rural = rules.is_rural(row.name, row.code)
    if row.latitude is not None:
        region.latitude, region.longitude = row.latitude, row.longitude
    region.imported_at = now


def _new_village(row: VillageRow) -> Region:
    values = rules.derive(row.code, row.name)
    return Region(**values)


def import_villages(fileobj) -> ImportResult:
    """Create or update villages from an operator's CSV; on any bad row, report all, import none.

    Re-importing the same file updates the same rows (new codes are created). One transaction.
    """
    raw = fileobj.read()
    try:
        text = decode(raw)
    except ValueError as exc:
        return ImportResult(errors=[RowError(1, "file", str(exc))])
    rows, errors = parse_villages(text)
    errors += _township_errors(rows)
    if errors:
        return ImportResult(errors=sorted(errors, key=lambda e: (e.row, e.field)))
    now = timezone.now()
    result = ImportResult()
    with transaction.atomic():
        existing: dict[str, Region] = {}
        for chunk in _chunks([row.code for row in rows]):
            existing.update(
                (r.code, r) for r in Region.objects.select_for_update().filter(code__in=chunk)
            )
        to_update, to_create = [], []
        for row in rows:
            region = existing.get(row.code) or _new_village(row)
            _apply(region, row, now)
            (to_update if row.code in existing else to_create).append(region)
        Region.objects.bulk_create(to_create, batch_size=1000)
        Region.objects.bulk_update(to_update, IMPORT_FIELDS, batch_size=500)
    result.created, result.updated = len(to_create), len(to_update)
    return result
