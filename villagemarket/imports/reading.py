"""Reading an uploaded product file into rows of text cells: CSV (UTF-8 with or without BOM,
or GBK/GB18030 as Excel on Chinese Windows saves it) or XLSX. Limits are checked while reading,
so a huge or malformed file is refused before it costs memory."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .columns import MAX_CELL_CHARS, MAX_FILE_BYTES, MAX_ROWS, RowError, undo_safe_cell

XLSX_MAGIC = b"PK\x03\x04"
# 5,000 rows of 19 columns unpack to a few MB; even full 20,000-character cells stay far below.
MAX_UNPACKED_MB = 200
MAX_UNPACKED_BYTES = MAX_UNPACKED_MB * 1024 * 1024


class UnreadableFile(Exception):
    """The file as a whole cannot be read; `error` says why (row 0 = the whole file)."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.error = RowError(0, column, message)


@dataclass
class Sheet:
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)


def detect_format(filename: str, content: bytes) -> str:
    """ "xlsx" or "csv", from the content first (a renamed file still reads), then the name."""
    name = (filename or "").lower()
    if content.startswith(XLSX_MAGIC):
        return "xlsx"
    if name.endswith(".xls"):
        raise UnreadableFile("file", _("old .xls files are not supported: save as .xlsx or CSV"))
    if name.endswith((".xlsx", ".xlsm")):
        raise UnreadableFile("file", _("this is not a valid .xlsx file"))
    return "csv"


def check_size(content: bytes) -> None:
    if len(content) > MAX_FILE_BYTES:
        raise UnreadableFile(
            "file",
            _("the file is %(size)s MB; at most %(max)d MB")
            % {"size": f"{len(content) / 1024 / 1024:.1f}", "max": MAX_FILE_BYTES // 1024 // 1024},
        )
    if not content.strip():
        raise UnreadableFile("file", _("the file is empty"))


def read_sheet(file_format: str, content: bytes) -> Sheet:
    """Header (lower-cased names) and the non-empty rows, every cell as stripped text."""
    check_size(content)
    raw = _xlsx_rows(content) if file_format == "xlsx" else _csv_rows(content)
    sheet = None
    for number, cells in raw:
        cells = [_cell_text(value) for value in cells]
        if sheet is None:
            if not any(cells):
                continue
            sheet = Sheet(header=[c.strip().lower() for c in cells])
            continue
        if not any(cells):
            continue  # spreadsheets keep blank rows at the end; they mean nothing
        if len(sheet.rows) >= MAX_ROWS:
            raise UnreadableFile(
                "file", _("more than %(max)d product rows: split the file") % {"max": MAX_ROWS}
            )
        sheet.rows.append((number, cells))
    if sheet is None:
        raise UnreadableFile("file", _("the file has no header row"))
    if not sheet.rows:
        raise UnreadableFile("file", _("the file has a header but no product rows"))
    return sheet


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Spreadsheets store 12.5 for "12.50" and 20.0 for "20": give back what was meant.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    text = str(value)
    if len(text) > MAX_CELL_CHARS * 2:
        text = text[: MAX_CELL_CHARS * 2]  # still over the limit: the row check names it
    return undo_safe_cell(text.strip())


def decode_csv(content: bytes) -> str:
    """UTF-8 (a BOM is dropped), else GB18030 (a superset of GBK, what Chinese Excel writes)."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise UnreadableFile(
            "file", _("the CSV file is neither UTF-8 nor GBK text: save it as CSV UTF-8")
        ) from None


def _csv_rows(content: bytes):
    text = decode_csv(content)
    if "\x00" in text:
        raise UnreadableFile("file", _("this does not look like a CSV file"))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise UnreadableFile(
            "file", _("the CSV is malformed near row %(row)d") % {"row": reader.line_num}
        ) from exc


def _xlsx_rows(content: bytes):
    from openpyxl import load_workbook

    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(content)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile("file", _("this is not a valid .xlsx file")) from exc
    if unpacked > MAX_UNPACKED_BYTES:  # a "zip bomb": small upload, gigabytes inside
        raise UnreadableFile(
            "file", _("the .xlsx file unpacks to more than %(max)d MB") % {"max": MAX_UNPACKED_MB}
        )
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise UnreadableFile("file", _("this is not a valid .xlsx file")) from exc
    try:
        sheet = book.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 50 and not any(c not in (None, "") for c in cells):
                continue
            yield number, list(cells)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise UnreadableFile("file", _("this is not a valid .xlsx file")) from exc
    finally:
        book.close()
