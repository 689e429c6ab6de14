"""Benchmark: the national observatory recompute.

    .venv/bin/python bench/observatory.py sqlite      # /tmp/vm_bench_obs.sqlite3
    .venv/bin/python bench/observatory.py postgres    # database vm_bench_obs on 127.0.0.1
    options: --villages 700000 --shops 1000000 --keep (reuse generated data)

Generates 700,000 villages with imported statistics for 2024 and 1,000,000 shops with a year of
daily rollups, then times `compute_year(2024)` and prints wall time and peak memory (ru_maxrss).

Rollup density (decided): a shop has a row only on days it sold; shop i sells on 1 + (i % 24)
distinct days (1..24, 12.5 on average), so 1,000,000 shops give ~12.5 million rows — a
realistic long tail for small village shops (most sell a few times a month).
Shops are concentrated like real Taobao villages: 50 per village in every 35th village.
Data is generated inside the database (INSERT ... SELECT over a numbers table), so the
generation itself stays fast on both engines.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2024


def configure(engine: str) -> None:
    if engine == "postgres":
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/vm_bench_obs"
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname='vm_bench_obs'"
            ).fetchone():
                conn.execute("CREATE DATABASE vm_bench_obs")
    else:
        os.environ["DATABASE_URL"] = "sqlite:////tmp/vm_bench_obs.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villagemarket.config.settings")
    import django

    django.setup()


def step(label: str, fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    print(f"  {label:<40} {time.perf_counter() - t0:7.1f} s", flush=True)
    return out


def insert_rows(table: str, columns: list[str], rows) -> None:
    from villagemarket.observatory.services.designations import _bulk_insert

    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == 50_000:
            _bulk_insert(table, columns, batch)
            batch = []
    _bulk_insert(table, columns, batch)


def village_codes(n: int):
    """Synthetic but well-formed codes: 31 provinces x 10 prefectures x 10 counties x 15
    townships x k.
    """
    per_township = max(1, n // (31 * 10 * 10 * 15) + 1)
    provinces = [
        f"{p}"
        for p in (
            11,
            12,
            13,
            14,
            15,
            21,
            22,
            23,
            31,
            32,
            33,
            34,
            35,
            36,
            37,
            41,
            42,
            43,
            44,
            45,
            46,
            50,
            51,
            52,
            53,
            54,
            61,
            62,
            63,
            64,
            65,
        )
    ]
    count = 0
    for p in provinces:
        for f in range(1, 11):
            for c in range(1, 11):
                for t in range(1, 16):
                    township = f"{p}{f:02d}{c:02d}{100 + t:03d}"
                    for v in range(per_township):
                        if count == n:
                            return
                        count += 1
                        yield township, f"{township}{200 + v:03d}"


def generate(n_villages: int, n_shops: int) -> None:
    from django.db import connection

    from villagemarket.shops.models import Shop

    with connection.cursor() as cur:
        for table in (
            "observatory_shopdailysales",
            "observatory_saleevent",
            "observatory_villagestat",
            "observatory_importbatch",
            "observatory_clustermember",
            "observatory_cluster",
            "observatory_villagedesignation",
            "observatory_towndesignation",
            "shops_shopmember",
            "shops_shop",
            "regions_region",
        ):
            cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed list
    cols = [
        "code",
        "name",
        "short_name",
        "name_pinyin",
        "level",
        "parent_id",
        "township_kind",
        "is_rural",
        "is_statistical",
        "households",
        "latitude",
        "longitude",
        "is_featured",
        "province_code",
        "prefecture_code",
        "county_code",
        "township_code",
    ]
    codes = list(village_codes(n_villages))
    uppers: dict[str, tuple] = {}
    for township, _v in codes:
        for length, level in ((2, 1), (4, 2), (6, 3), (9, 4)):
            code = township[:length]
            if code not in uppers:
                parent = township[: {1: 0, 2: 2, 3: 4, 4: 6}[level]] or None
                uppers[code] = (
                    code,
                    code,
                    code,
                    "",
                    level,
                    parent,
                    "town" if level == 4 else "",
                    None,
                    False,
                    None,
                    None,
                    None,
                    False,
                    code[:2],
                    code[:4] if level >= 2 else "",
                    code[:6] if level >= 3 else "",
                    code[:9] if level >= 4 else "",
                )
    insert_rows("regions_region", cols, sorted(uppers.values(), key=lambda r: r[4]))

    def villages():
        for i, (township, code) in enumerate(codes):
            lat = 20 + (i % 2000) * 0.01 if i % 3 else None  # two thirds have coordinates
            lon = 100 + (i // 2000) * 0.02 if i % 3 else None
            yield (
                code,
                code,
                code,
                "",
                5,
                township,
                "",
                i % 10 != 0,
                False,
                300 + i % 700,
                lat,
                lon,
                False,
                code[:2],
                code[:4],
                code[:6],
                code[:9],
            )

    insert_rows("regions_region", cols, villages())
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO observatory_importbatch (source, year, file_name, rows, created_at) "
            "VALUES ('bench', %s, 'bench.csv', %s, %s)",
            [YEAR, len(codes), "2025-01-01 00:00:00+00"],
        )
        cur.execute("SELECT id FROM observatory_importbatch WHERE source='bench'")
        batch_id = cur.fetchone()[0]

    def stats():
        for i, (_t, code) in enumerate(codes):
            # ~1.5% of villages sell over 10 million yuan with 100+ active shops.
            big = i % 67 == 0
            shops = 150 + i % 300 if big else i % 60
            active = shops * 2 // 3
            sales = (10_000_000 + (i % 50) * 1_000_000) * 100 if big else (i % 900) * 10_000 * 100
            yield (batch_id, code, YEAR, shops, active, 300 + i % 700, sales, None, None)

    insert_rows(
        "observatory_villagestat",
        [
            "batch_id",
            "village_id",
            "year",
            "online_shops",
            "active_shops",
            "households",
            "sales_minor",
            "latitude",
            "longitude",
        ],
        stats(),
    )
    shop_fields = [f for f in Shop._meta.concrete_fields if not f.primary_key]
    names = [f.column for f in shop_fields]

    def shops():
        from datetime import UTC, datetime

        opened = datetime(2023, 6, 1, tzinfo=UTC)
        for i in range(1, n_shops + 1):
            values = {f.column: f.get_default() for f in shop_fields}
            values.update(
                name=f"s{i}",
                slug=f"s{i}",
                village_id=codes[((i // 50) * 35) % len(codes)][1],
                ship_from_address="x",
                phone="1",
                status="active",
                created_at=opened,
                updated_at=opened,
                logo="",
            )
            yield tuple(
                values[c] if c in values else values.get(c.removesuffix("_id")) for c in names
            )

    insert_rows("shops_shop", names, shops())
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE nums (n integer)")
        cur.executemany("INSERT INTO nums VALUES (%s)", [(n,) for n in range(1, 25)])
        # Day offsets n*53 mod 366 are distinct for n < 366 (53 and 366 are coprime): no (shop,
        # day) clash.
        day = (
            "date('2024-01-01', '+' || ((s.id * 7 + n.n * 53) % 366) || ' days')"
            if connection.vendor == "sqlite"
            else "DATE '2024-01-01' + ((s.id * 7 + n.n * 53) % 366)::int"
        )
        cur.execute(
            "INSERT INTO observatory_shopdailysales "  # noqa: S608 - constant SQL
            "(shop_id, day, orders, sales_minor, refunds_minor) "
            f"SELECT s.id, {day}, 1 + (s.id + n.n) % 3, 5000 + (s.id * 31 + n.n * 17) % 20000, "
            "CASE WHEN n.n = 5 THEN 1000 ELSE 0 END "
            "FROM shops_shop s JOIN nums n ON n.n <= 1 + s.id % 24"
        )
        cur.execute("DROP TABLE nums")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("engine", choices=["sqlite", "postgres"])
    parser.add_argument("--villages", type=int, default=700_000)
    parser.add_argument("--shops", type=int, default=1_000_000)
    parser.add_argument(
        "--keep", action="store_true", help="reuse the data generated by an earlier run"
    )
    args = parser.parse_args()
    configure(args.engine)
    from django.core.management import call_command
    from django.db import connection, transaction

    from villagemarket.observatory.models import ShopDailySales
    from villagemarket.observatory.services.designations import compute_year

    print(f"observatory bench on {args.engine}: {args.villages:,} villages, {args.shops:,} shops")
    step("migrate", call_command, "migrate", "--no-input", "-v", "0")
    if not args.keep:
        with transaction.atomic():
            step("generate data", generate, args.villages, args.shops)
    print(f"  rollup rows: {ShopDailySales.objects.count():,}")
    connection.close()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    result = compute_year(YEAR)
    elapsed = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"  compute {YEAR}: {elapsed:.1f} s — {result.villages:,} villages, "
        f"{result.taobao_villages:,} Taobao "
        f"villages, {result.towns:,} towns, {result.clusters:,} clusters"
    )
    print(f"  peak RSS {rss / 1024:.0f} MiB (before compute {rss_before / 1024:.0f} MiB)")


if __name__ == "__main__":
    main()
