"""Spreadsheet-safe exports: the one rule for cells, and the CSV / XLSX writers every export uses.

A spreadsheet program runs a cell that begins with `=`, `+`, `-` or `@` as a formula (and tab or
carriage return can smuggle one in), so a shop name like `=HYPERLINK("http://evil", "click")`
would become a live link, or worse, on the operator's machine ("CSV injection"). `safe_cell`
prefixes such text with an apostrophe, the convention spreadsheet programs and OWASP use, so it
shows as the text it is. Numbers stay numbers (a negative amount is a number, not a formula).

Money goes into a row as `Money`: CSV writes its decimal amount ("1234.50"), XLSX a number cell
with a currency format, so totals can be summed in the sheet.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from villagemarket.core.money import EXPONENTS, SYMBOLS, Money

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"  # so spreadsheet programs read UTF-8 (Chinese) correctly

_NUMBERS = (int, float, Decimal)
_DATES = (datetime.date, datetime.datetime, datetime.time)


def safe_cell(value):
    """The value as a spreadsheet may hold it safely: text that could start a formula gets a
    leading apostrophe; numbers, booleans, dates, Money and None pass unchanged."""
    if value is None or isinstance(value, (bool, Money, *_NUMBERS, *_DATES)):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _csv_value(value):
    value = safe_cell(value)
    if isinstance(value, Money):
        return value.amount
    if value is None:
        return ""
    return value


class SafeCsvWriter:
    """csv.writer whose rows go through safe_cell (Money written as its decimal amount)."""

    def __init__(self, target) -> None:
        self._writer = csv.writer(target)

    def writerow(self, row: Iterable):
        return self._writer.writerow([_csv_value(v) for v in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def safe_csv_writer(target) -> SafeCsvWriter:
    """A csv.writer over `target` (anything with write()) that makes every cell safe."""
    return SafeCsvWriter(target)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The BOM, then each row as one CSV line: for streaming responses of any size."""
    writer = safe_csv_writer(_Echo())
    yield BOM
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def csv_bytes(header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """A whole CSV file (UTF-8 with BOM) with every cell made safe."""
    return "".join(csv_lines(header, rows)).encode("utf-8")


def money_number_format(currency: str) -> str:
    """An Excel number format that shows an amount as ¥1,234.50 (its currency's decimals)."""
    decimals = EXPONENTS[currency]
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    return f'"{SYMBOLS.get(currency, currency)}"{digits}'


def xlsx_bytes(title: str, header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """A one-sheet workbook: text made safe and stored as text (never a formula), numbers as
    numbers, Money as a number with its currency's format."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "export")

    def cells(row: Iterable) -> list:
        out = []
        for value in row:
            value = safe_cell(value)
            if isinstance(value, Money):
                cell = WriteOnlyCell(sheet, value=value.amount)
                cell.number_format = money_number_format(value.currency)
                out.append(cell)
            elif isinstance(value, str):
                # XML cannot hold most control characters (openpyxl would raise): drop them.
                # The string type is forced: openpyxl would otherwise guess (e.g. a formula).
                cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                cell.data_type = "s"
                out.append(cell)
            else:
                out.append(value)
        return out

    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
