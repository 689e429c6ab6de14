"""Demo step: product import. The demo seller exported the shop's products, counted stock and
set low-stock alerts for three of them, and imported the file again; a second attempt had
typing mistakes. *Seller center → Import / export* shows a finished job ("3 changed,
7 unchanged") and a failed one with its errors by row and column.

Everything goes through imports.services (the catalog's services underneath). Idempotent: the
step does nothing when the shop already has import jobs.
"""

from __future__ import annotations

from villagemarket.accounts.models import User
from villagemarket.core.exports import csv_bytes
from villagemarket.imports import selectors, services
from villagemarket.imports.columns import COLUMNS
from villagemarket.imports.models import ImportJob
from villagemarket.shops.models import Shop

from . import data

STOCK, THRESHOLD, PRICE = (
    COLUMNS.index("stock"),
    COLUMNS.index("low_stock_threshold"),
    COLUMNS.index("price"),
)


def imports_demo(ctx) -> str:
    seller = User.objects.get(email=data.SELLER)
    shop = Shop.objects.get(members__user=seller, members__role="owner")
    if ImportJob.objects.filter(shop=shop).exists():
        return "import jobs already there"
    rows = [list(row) for row in selectors.export_rows(shop)]
    refs = []
    for row in rows:
        if row[0] not in refs:
            refs.append(row[0])
    counted = set(refs[:3])
    for row in rows:
        if row[0] in counted:
            row[STOCK] = int(row[STOCK]) + 20
            row[THRESHOLD] = 3
    done = services.start_import(
        seller, shop, filename="盘点-库存.csv", content=csv_bytes(COLUMNS, rows)
    )
    bad = [list(row) for row in rows]
    bad[0][PRICE] = "二十九"
    bad[1][STOCK] = "-5"
    bad[2][COLUMNS.index("category")] = "no-such-category"
    failed = services.start_import(
        seller, shop, filename="改价-草稿.csv", content=csv_bytes(COLUMNS, bad)
    )
    return f"import {done.status} {done.summary}, a file with {len(failed.errors)} row errors"
