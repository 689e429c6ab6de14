"""Demo step for the storefront's demo command: sales history, imported statistics, computed years.

    from villagemarket.observatory.demo import build_observatory_demo
    build_observatory_demo(progress)   # progress(message) or None

1. Every active shop gets daily sales on ~2 days a week for the last two years and this year,
through
   record_sale with refs "demo:<shop>:<day>:<n>" (no ShopOrders: the orders slice is built in
   parallel; refs keep it idempotent, so running the demo twice counts nothing twice).
   Past years only count for shops opened before them: see docs/observatory.md.
2. Imported statistics for the villages loaded in the demo's region tree: deterministic figures
   that make about a third of them Taobao villages, villages of one township a cluster, and
   丁楼村's neighbour 胡楼村 *nearly* qualify (9,990,000 yuan). They go through the same validated
   import as an operator's file (source "demo statistics").
3. Computes those years.
"""

from __future__ import annotations

import datetime
import zlib
from collections.abc import Callable

from villagemarket.observatory.services import record_sale
from villagemarket.observatory.services.designations import compute_year
from villagemarket.observatory.services.statistics_import import import_statistics
from villagemarket.regions.models import Region
from villagemarket.shops.models import Shop

NEARLY = "371721121206"  # 胡楼村, next to 丁楼村: just under the 10 million yuan line
DINGLOU = "371721121227"
MAX_VILLAGES = 600


def build_observatory_demo(progress: Callable[[str], None] | None = None) -> dict:
    """Give the demo an observatory: history, imported statistics and computed designations."""
    say = progress or (lambda message: None)
    this_year = datetime.date.today().year
    years = [this_year - 2, this_year - 1, this_year]
    say("observatory: sales history")
    sales = _sales_history(years)
    say("observatory: imported statistics")
    rows = _import_demo_statistics(years)
    results = []
    for year in years:
        say(f"observatory: computing {year}")
        results.append(compute_year(year))
    return {
        "sales": sales,
        "imported_rows": rows,
        "taobao_villages": {r.year: r.taobao_villages for r in results},
    }


def _sales_history(years: list[int]) -> int:
    today = datetime.date.today()
    count = 0
    for shop in Shop.objects.filter(status="active").only("pk"):
        day = datetime.date(years[0], 1, 1)
        while day <= today:
            # Deterministic "random": ~2 selling days a week, busier before the autumn festivals.
            h = zlib.crc32(f"{shop.pk}:{day}".encode())
            if h % 7 < (3 if day.month >= 10 else 2):
                amount = 3000 + h % 40000
                record_sale(
                    shop_id=shop.pk, ref=f"demo:{shop.pk}:{day}:1", day=day, amount_minor=amount
                )
                count += 1
            day += datetime.timedelta(days=1)
    return count


def demo_statistics_csv(years: list[int]) -> str:
    """The demo's statistics file for the villages in the loaded region tree."""
    # The story's villages first (featured ones, then Cao County's), then others up to the cap.
    fields = ("code", "households", "is_rural")
    level5 = Region.objects.filter(level=5).order_by("code")
    villages: list[tuple] = []
    seen: set[str] = set()
    for queryset in (level5.filter(is_featured=True), level5.filter(county_code="371721"), level5):
        for row in queryset.values_list(*fields)[: MAX_VILLAGES * 2]:
            if len(villages) < MAX_VILLAGES and row[0] not in seen:
                seen.add(row[0])
                villages.append(row)
    lines = ["village_code,year,online_shops,active_shops,households,annual_sales_yuan"]
    for code, households, _rural in villages:
        households = households or 300 + zlib.crc32(code.encode()) % 900
        h = zlib.crc32(code.encode())
        # about a third qualify: Cao County had ~170 Taobao villages of its ~500 by 2020
        strong = code == DINGLOU or h % 3 == 0
        for i, year in enumerate(years):
            growth = 100 + 25 * i  # percent of the first year's figures
            if code == NEARLY:
                shops, active, yuan = 160, 98, 9_990_000 + 1000 * i
            elif strong:
                shops = (150 + h % 400) * growth // 100
                active = shops * 2 // 3
                yuan = (10_500_000 + h % 60_000_000) * growth // 100
            else:
                shops = h % 60
                active = shops // 2
                yuan = (h % 3_000_000) * growth // 100
            lines.append(f"{code},{year},{shops},{active},{households},{yuan}.00")
    return "\n".join(lines) + "\n"


def _import_demo_statistics(years: list[int]) -> int:
    text = demo_statistics_csv(years)
    batches = import_statistics(text=text, source="demo statistics", file_name="demo_stats.csv")
    return sum(b.rows for b in batches)
