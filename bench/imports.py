"""Product import benchmark: a 2,000-row file (1,000 new products of two sizes each by default)
imported in-process on a fresh database, then the same file again (nothing changes), then an
export. Prints wall and CPU ms for each, and CPU ms per row.

    .venv/bin/python bench/imports.py                    # SQLite in a temp folder
    .venv/bin/python bench/imports.py --database-url postgres://postgres@127.0.0.1:5432/vm_bench_imports
    .venv/bin/python bench/imports.py --rows 5000 --format xlsx

Figures only: nothing is asserted about time (exit 1 only when the import did not do its job).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import _django  # noqa: E402 - bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label: str, rows: int, fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
    print(f"{label:<28} {wall:9.0f} ms wall {cpu:9.0f} ms CPU  {cpu / rows:6.2f} CPU ms/row")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rows", type=int, default=2000, help="file rows (two per product)")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()
    _django.setup(args.database_url, "imports", REDIS_URL="")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from villagemarket.catalog.models import Product
    from villagemarket.core.exports import csv_bytes, xlsx_bytes
    from villagemarket.imports import downloads, services
    from villagemarket.imports.columns import COLUMNS
    from villagemarket.imports.models import ImportJob
    from villagemarket.imports.progress import Progress
    from villagemarket.testing import make_product, make_region_tree, make_shop, make_user

    seller = make_user("bench-seller@example.com")
    shop = make_shop(seller, make_region_tree(), name="Bench", slug="bench")
    make_product(shop, title="已有")  # and the "costumes" category
    rows = []
    for i in range(args.rows // 2):
        for size in ("110", "120"):
            cells = {
                "product_ref": f"p{i}",
                "title": f"儿童汉服 {i}",
                "category": "costumes",
                "description": "<p>纯棉，可机洗。</p>",
                "spec1_name": "尺码",
                "spec1_value": size,
                "sku_code": f"P{i}-{size}",
                "price": "59.00",
                "stock": 20,
                "weight_grams": 300,
            }
            rows.append([cells.get(name, "") for name in COLUMNS])
    write = xlsx_bytes if args.format == "xlsx" else None
    content = write("products", COLUMNS, rows) if write else csv_bytes(COLUMNS, rows)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{len(rows)} rows, {args.format}, {len(content) / 1024:.0f} KB, {engine}")

    def run():
        job = ImportJob.objects.create(
            shop=shop,
            created_by=seller,
            filename=f"bench.{args.format}",
            file_format=args.format,
            content=content,
        )
        return services.run_import(job.pk, progress=Progress(job.pk))

    first = timed("import (all new)", len(rows), run)
    second = timed("same file again (unchanged)", len(rows), run)
    timed("export CSV", len(rows), lambda: downloads.export_file(shop, "csv"))
    timed("export XLSX", len(rows), lambda: downloads.export_file(shop, "xlsx"))
    print(f"first: {first.summary}; again: {second.summary}")
    ok = (
        first.status == "done"
        and first.summary.get("created") == len(rows) // 2
        and second.summary.get("unchanged") == len(rows) // 2
        and Product.objects.filter(shop=shop).count() == len(rows) // 2 + 1
    )
    if not ok:
        print("import did not do its job:", first.status, first.errors[:5], second.summary)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
