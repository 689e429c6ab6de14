"""Export and template files, written with core.exports (every cell made spreadsheet-safe)."""

from __future__ import annotations

from villagemarket.core.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes

from . import selectors
from .columns import COLUMNS


def export_file(shop, file_format: str) -> tuple[bytes, str]:
    if file_format == "xlsx":
        rows = selectors.export_rows(shop, money=True)
        return xlsx_bytes("products", COLUMNS, rows), XLSX_CONTENT_TYPE
    return csv_bytes(COLUMNS, selectors.export_rows(shop)), CSV_CONTENT_TYPE


def template_file(file_format: str) -> tuple[bytes, str]:
    rows = selectors.template_rows()
    if file_format == "xlsx":
        return xlsx_bytes("products", COLUMNS, rows), XLSX_CONTENT_TYPE
    return csv_bytes(COLUMNS, rows), CSV_CONTENT_TYPE
