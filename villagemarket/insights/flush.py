"""Store drained hot counts (core/counters.py) in the day tables with additive upserts.

Views are increments: `INSERT ... ON CONFLICT (product, day) DO UPDATE SET views = views +
excluded.views`, one statement per row batch, so two flushes running at once both add and
neither overwrites the other (PostgreSQL and SQLite >= 3.24 both speak it). Visitors are not
increments: with Redis the flush brings the day's HyperLogLog count so far, which only grows, so
the stored figure becomes the larger of the two; without Redis the hashed ids go into
ShopVisitor (unique per shop and day) and the figure is recounted from there.
"""

from __future__ import annotations

from django.db import connection, transaction

from villagemarket.catalog.models import Product
from villagemarket.core.counters import Drained
from villagemarket.shops.models import Shop

from .models import ProductViewDay, ShopVisitDay, ShopVisitor


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _add_views(model, owner: str, rows: list[tuple[int, object, int]]) -> None:
    """Add `views` to (owner id, day) rows, creating missing ones; `owner` is the FK column."""
    if not rows:
        return
    table = _q(model._meta.db_table)
    extra_cols, extra_vals = ("", "")
    if model is ShopVisitDay:
        extra_cols, extra_vals = (f", {_q('visitors')}", ", 0")
    # Only our own quoted table and column names are formatted into these statements.
    cols = f"{_q(owner)}, {_q('day')}, {_q('views')}{extra_cols}"
    sql = (
        f"INSERT INTO {table} ({cols}) "  # noqa: S608
        f"VALUES (%s, %s, %s{extra_vals}) "
        f"ON CONFLICT ({_q(owner)}, {_q('day')}) "
        f"DO UPDATE SET {_q('views')} = {table}.{_q('views')} + excluded.{_q('views')}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _raise_visitors(totals: dict) -> None:
    """visitors = max(stored, total) per (day, shop): a HyperLogLog count only grows."""
    table = _q(ShopVisitDay._meta.db_table)
    cols = f"{_q('shop_id')}, {_q('day')}, {_q('views')}, {_q('visitors')}"
    sql = (
        f"INSERT INTO {table} ({cols}) "  # noqa: S608
        f"VALUES (%s, %s, 0, %s) "
        f"ON CONFLICT ({_q('shop_id')}, {_q('day')}) DO UPDATE SET {_q('visitors')} = "
        f"CASE WHEN excluded.{_q('visitors')} > {table}.{_q('visitors')} "
        f"THEN excluded.{_q('visitors')} ELSE {table}.{_q('visitors')} END"
    )
    rows = [(shop_id, day, total) for (day, shop_id), total in sorted(totals.items())]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _store_visitor_ids(seen: dict) -> None:
    """Insert the new ids (duplicates ignored), then recount each touched (shop, day)."""
    rows = [
        ShopVisitor(shop_id=shop_id, day=day, visitor=visitor)
        for (day, shop_id), ids in sorted(seen.items())
        for visitor in sorted(ids)
    ]
    ShopVisitor.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    totals = {
        (day, shop_id): ShopVisitor.objects.filter(shop_id=shop_id, day=day).count()
        for (day, shop_id) in seen
    }
    _raise_visitors(totals)


def _existing(model, ids: set[int]) -> set[int]:
    return set(model.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def store(drained: Drained) -> None:
    """The counters' sink: add the drained counts to the day tables, in one transaction.
    Counts of a product or shop deleted since its view are dropped (they have nowhere to go)."""
    products = _existing(Product, {pid for _day, pid in drained.product_views})
    shops = _existing(
        Shop,
        {sid for _d, sid in drained.shop_views}
        | {sid for _d, sid in drained.visitor_ids}
        | {sid for _d, sid in drained.visitor_totals},
    )
    with transaction.atomic():
        _add_views(
            ProductViewDay,
            "product_id",
            [
                (pid, day, n)
                for (day, pid), n in sorted(drained.product_views.items())
                if pid in products
            ],
        )
        _add_views(
            ShopVisitDay,
            "shop_id",
            [(sid, day, n) for (day, sid), n in sorted(drained.shop_views.items()) if sid in shops],
        )
        if drained.visitor_ids:
            _store_visitor_ids({k: v for k, v in drained.visitor_ids.items() if k[1] in shops})
        if drained.visitor_totals:
            _raise_visitors({k: v for k, v in drained.visitor_totals.items() if k[1] in shops})
