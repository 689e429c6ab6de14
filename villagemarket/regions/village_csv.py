"""Parsing and checking an operator's village CSV (no ORM; the service checks townships exist).

Format: header `code,name,township_code,households,is_rural,lat,lon`, UTF-8 with or without BOM.
Row numbers are those a spreadsheet shows: the header is row 1, the first village row 2.

Whatever the file holds, a bad value is a row error, never an exception: numbers are ASCII
digits of bounded length (no "３７", "²", "1_000" or 5,000-digit numbers reach int() or the
database), household counts have a sane ceiling, NUL and other control characters and names
made only of invisible characters are refused, and the report stops after MAX_ERRORS.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from villagemarket.core.validation import (
    control_character_message,
    find_control_character,
    is_invisible,
)

COLUMNS = ["code", "name", "township_code", "households", "is_rural", "lat", "lon"]
TRUE_WORDS = {"true", "1", "yes", "是"}
FALSE_WORDS = {"false", "0", "no", "否"}
NAME_MAX = 100
# The largest administrative villages count a few thousand households; 100,000 is a typo.
HOUSEHOLDS_MAX = 100_000
# Past this many errors the file is plainly not a village list: stop and say so.
MAX_ERRORS = 200
ASCII_DIGITS = re.compile(r"[0-9]+")
# Degrees with at most 10 decimals, ASCII only: "３７.5", "1e5", "nan" and "1_0" are refused.
DECIMAL = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,10})?")


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return _("row %(row)d, %(field)s: %(reason)s") % {
            "row": self.row,
            "field": self.field,
            "reason": self.reason,
        }


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
    # Length first: int() of thousands of digits is slow and raises past 4,300 digits.
    if len(text) > 7 or not ASCII_DIGITS.fullmatch(text):
        return _("must be a whole number of 0 or more, or blank")
    value = int(text)
    if value > HOUSEHOLDS_MAX:
        return _("must be at most %(n)s") % {"n": f"{HOUSEHOLDS_MAX:,}"}
    return value


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
    if not DECIMAL.fullmatch(text):
        return _("must be a number")
    value = float(text)
    if not math.isfinite(value) or not -limit <= value <= limit:
        return _("must lie between -%(limit)s and %(limit)s") % {"limit": int(limit)}
    return value


def _check_code(code: str, township: str) -> list[tuple[str, str]]:
    problems = []
    if not (len(code) == 12 and ASCII_DIGITS.fullmatch(code)):
        problems.append(("code", _("must be 12 digits")))
    if not (len(township) == 9 and ASCII_DIGITS.fullmatch(township)):
        problems.append(("township_code", _("must be 9 digits")))
    elif not code.startswith(township):
        problems.append(
            ("code", _("must start with the township code %(code)s") % {"code": township})
        )
    return problems


def _control_problems(values: dict[str, str]) -> list[tuple[str, str]]:
    problems = []
    for key in COLUMNS:
        char = find_control_character(values[key], allow=frozenset())
        if char is not None:
            problems.append((key, control_character_message(char)))
    return problems


def _check_row(number: int, record: dict[str, str]) -> tuple[VillageRow | None, list[RowError]]:
    values = {key: (record.get(key) or "").strip() for key in COLUMNS}
    if problems := _control_problems(values):
        # Nothing else is checked on a row holding NULs or control characters.
        return None, [RowError(number, f, reason) for f, reason in problems]
    problems = _check_code(values["code"], values["township_code"])
    if not values["name"] or is_invisible(values["name"]):
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
    """Every valid row and every error (up to MAX_ERRORS), in file order."""
    try:
        return _parse(text)
    except csv.Error as exc:
        # e.g. a cell longer than the csv module's field limit (131,072 characters)
        return [], [RowError(1, "file", _("is not a readable CSV file (%(why)s)") % {"why": exc})]


def _parse(text: str) -> tuple[list[VillageRow], list[RowError]]:
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
        if len(errors) >= MAX_ERRORS:
            reason = _("more than %(n)d errors; stopped reading at this row") % {"n": MAX_ERRORS}
            errors.append(RowError(number, "file", reason))
            break
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
