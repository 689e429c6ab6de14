"""Demo step: product import. The demo seller has imported a spreadsheet of new products (two
lantern products with a size × colour matrix, one published) and tried a file with mistakes, so
*Seller center → Import / export* shows a finished job and a failed one with its row errors.

Everything goes through imports.services (the catalog's services underneath). Idempotent: the
step does nothing when the shop already has import jobs.
"""

from __future__ import annotations

from villagemarket.accounts.models import User
from villagemarket.catalog.models import Category
from villagemarket.core.exports import csv_bytes
from villagemarket.imports import services
from villagemarket.imports.columns import COLUMNS
from villagemarket.imports.models import ImportJob
from villagemarket.shops.models import Shop

from . import data


def _rows(category: str) -> list[list]:
    rows = []
    products = [
        ("lantern-red", "手工红灯笼 春节挂饰", "Handmade red lantern", "published", "29.90"),
        ("lantern-palace", "宫灯 木框绢面", "Palace lantern, silk on wood", "draft", "88.00"),
    ]
    for ref, title, title_en, status, price in products:
        for size in ("小号", "大号"):
            for colour in ("红", "金"):
                cells = {
                    "product_ref": ref,
                    "title": title,
                    "title_en": title_en,
                    "category": category,
                    "description": "<p>丁楼村手工制作，竹骨绢面。</p>",
                    "status": status,
                    "low_stock_threshold": 3,
                    "spec1_name": "尺寸",
                    "spec1_value": size,
                    "spec2_name": "颜色",
                    "spec2_value": colour,
                    "sku_code": f"{ref.upper()}-{'S' if size == '小号' else 'L'}-{colour}",
                    "price": price,
                    "stock": 30,
                    "weight_grams": 400,
                }
                rows.append([cells.get(name, "") for name in COLUMNS])
    return rows


def imports_demo(ctx) -> str:
    seller = User.objects.get(email=data.SELLER)
    shop = Shop.objects.get(members__user=seller, members__role="owner")
    if ImportJob.objects.filter(shop=shop).exists():
        return "import jobs already there"
    category = Category.objects.filter(children__isnull=True).order_by("position", "id").first()
    rows = _rows(category.slug)
    done = services.start_import(
        seller, shop, filename="灯笼-新品.csv", content=csv_bytes(COLUMNS, rows)
    )
    bad = [list(r) for r in rows[:4]]
    bad[1][COLUMNS.index("price")] = "二十九"
    bad[2][COLUMNS.index("stock")] = "-5"
    bad[3][COLUMNS.index("category")] = "no-such-category"
    failed = services.start_import(
        seller, shop, filename="灯笼-改价.csv", content=csv_bytes(COLUMNS, bad)
    )
    return f"import {done.status} ({done.summary}), a file with {len(failed.errors)} row errors"
