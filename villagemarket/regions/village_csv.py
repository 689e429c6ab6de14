"""Parsing and checking an operator's village CSV (no ORM; the service checks townships exist).

Format: header `code,name,township_code,households,is_rural,lat,lon`, UTF-8 with or without BOM.
Row numbers are those a spreadsheet shows: the header is row 1, the first village row 2.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

COLUMNS = ["code", "name", "township_code", "households", "is_rural", "lat", "lon"]
TRUE_WORDS = {"true", "1", "yes", "是"}
FALSE_WORDS = {"false", "0", "no", "否"}
NAME_MAX = 100


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.reason}"


@dataclass
class VillageRow:
    """One valid row. None in households/is_rural/lat/lon means "blank: keep what is known"."""

    row: int
    code: str
    name: str
    township_code: str
    households: int | None
    is_rural: bool | None
    latitude: float | None
    longitude: float | None


def decode(data: bytes | str) -> str:
    """UTF-8 with or without BOM; anything else is refused (GBK exports are the usual culprit)."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(_("The file is not UTF-8 text (save it as “CSV UTF-8”).")) from exc


def _households(text: str) -> int | None | str:
    if text == "":
        return None
    if not text.isdigit():
        return _("must be a whole number of 0 or more, or blank")
    return int(text)


def _rural(text: str) -> bool | None | str:
    word = text.lower()
    if word == "":
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return _("must be one of true/false/1/0/yes/no/是/否")


def _coordinate(text: str, limit: float) -> float | str:
    try:
        value = float(text)
    except ValueError:
        return _("must be a number")
    if not math.isfinite(value) or not -limit <= value <= limit:
        return _("must lie between -%(limit)s and %(limit)s") % {"limit": int(limit)}
    return value


def _check_code(code: str, township: str) -> list[tuple[str, str]]:
    problems = []
    if not (code.isdigit() and len(code) == 12):
        problems.append(("code", _("must be 12 digits")))
    if not (township.isdigit() and len(township) == 9):
        problems.append(("township_code", _("must be 9 digits")))
    elif not code.startswith(township):
        problems.append(
            ("code", _("must start with the township code %(code)s") % {"code": township})
        )
    return problems


def _check_row(number: int, record: dict[str, str]) -> tuple[VillageRow | None, list[RowError]]:
    values = {key: (record.get(key) or "").strip() for key in COLUMNS}
    problems = _check_code(values["code"], values["township_code"])
    if not values["name"]:
        problems.append(("name", _("must not be blank")))
    elif len(values["name"]) > NAME_MAX:
        problems.append(("name", _("must be at most %(n)d characters") % {"n": NAME_MAX}))
    households, rural = _households(values["households"]), _rural(values["is_rural"])
    if isinstance(households, str):
        problems.append(("households", households))
    if isinstance(rural, str):
        problems.append(("is_rural", rural))
    lat = lon = None
    if bool(values["lat"]) != bool(values["lon"]):
        problems.append(("lat", _("give both lat and lon, or neither")))
    elif values["lat"]:
        lat, lon = _coordinate(values["lat"], 90), _coordinate(values["lon"], 180)
        problems += [(f, v) for f, v in (("lat", lat), ("lon", lon)) if isinstance(v, str)]
    errors = [RowError(number, f, reason) for f, reason in problems]
    if errors:
        return None, errors
    row = VillageRow(
        number, values["code"], values["name"], values["township_code"], households, rural, lat, lon
    )
    return row, []


def parse_villages(text: str) -> tuple[list[VillageRow], list[RowError]]:
    """Every valid row and every error (all of them, not just the first), in file order."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if not header or missing:
        reason = _("the header must be %(cols)s; missing: %(missing)s") % {
            "cols": ",".join(COLUMNS),
            "missing": ", ".join(missing or COLUMNS),
        }
        return [], [RowError(1, "header", reason)]
    reader.fieldnames = header
    rows: list[VillageRow] = []
    errors: list[RowError] = []
    first_seen: dict[str, int] = {}
    for number, record in enumerate(reader, start=2):
        if not any((v or "").strip() for v in record.values() if isinstance(v, str)):
            continue  # a blank line is not a village
        if None in record:  # more cells than the header has
            errors.append(RowError(number, "row", _("has more cells than the header")))
            continue
        row, row_errors = _check_row(number, record)
        errors += row_errors
        code = (record.get("code") or "").strip()
        if code in first_seen:
            errors.append(
                RowError(number, "code", _("duplicates row %(row)d") % {"row": first_seen[code]})
            )
        elif code:
            first_seen[code] = number
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        errors.append(RowError(1, "file", _("has no village rows")))
    return rows, errors
