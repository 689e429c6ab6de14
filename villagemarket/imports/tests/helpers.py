"""Files for import tests, written the way sellers' spreadsheets write them."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from villagemarket.imports.columns import COLUMNS


def row(**cells) -> dict:
    return {name: cells.get(name, "") for name in COLUMNS}


def csv_content(rows: list[dict], *, header=None, encoding="utf-8", bom=False) -> bytes:
    header = header or COLUMNS
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(name, "") for name in header])
    text = out.getvalue()
    return (("\ufeff" if bom else "") + text).encode(encoding)


def xlsx_content(rows: list[dict], *, header=None) -> bytes:
    header = header or COLUMNS
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for r in rows:
        sheet.append([r.get(name) if r.get(name, "") != "" else None for name in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def new_product_rows(ref="hanfu", title="儿童汉服", category="costumes", sizes=("110", "120")):
    """A new product with one specification (尺码), one row per size."""
    return [
        row(
            product_ref=ref,
            title=title,
            category=category,
            spec1_name="尺码",
            spec1_value=size,
            sku_code=f"{ref}-{size}",
            price="59.00",
            stock="20",
            weight_grams="300",
        )
        for size in sizes
    ]
