"""Search benchmark: 100,000 products, 16 clients over HTTP against gunicorn on PostgreSQL.

    .venv/bin/python bench/search.py                        # everything (about 5-10 minutes)
    .venv/bin/python bench/search.py --reuse --no-reindex   # again on the same data and index

It creates its own database (vm_bench_search), migrates, loads the region tree (levels 1-4 of all
China, as the demo does, and the villages of ten e-commerce counties), and generates products
with bulk inserts: Chinese titles drawn from product words, materials, adjectives, place names
of the shop's county, township and village, English titles, attributes, 1-3 SKUs, a category of
a two-level tree, shops spread over villages. Then it times `villagemarket search reindex` (the
real command), starts gunicorn (gthread, keep-alive 0, like bench/checkout.py) with the bench
settings of bench/search_site.py, and drives the clients through three phases with the same
queries: the indexed search (`GET /api/v1/search/products?q=`), the LIKE search it replaced
(`GET /bench/like-search?q=`) and suggestions (`GET /api/v1/search/suggest?q=`). Prints
queries/s, p50/p95/p99 latency and CPU ms per query (gunicorn and PostgreSQL processes), and
writes the summary into bench/README.md's search section (unless --no-readme).
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import random
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _server  # noqa: E402
from _server import (  # noqa: E402
    PG,
    backend_pids,
    cpu_snapshot,
    free_port,
    load_average,
    percentile,
)

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "vm_bench_search"
# The app's connections carry this name, so the bench counts the CPU of their backends only
# (pg_stat_activity + /proc), not every postgres process of the shared machine.
APP_NAME = "vm-bench-search"
ENV = {
    "DATABASE_URL": f"{PG}/{DB_NAME}?application_name={APP_NAME}",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "LOG_LEVEL": "ERROR",
    "SECRET_KEY": "bench-" + secrets.token_hex(32),
    "REDIS_URL": "",
    # Keys of this run only (the Redis of the machine is shared): bench/search_site.py.
    "VM_BENCH_CACHE_PREFIX": "vm-bench-search-" + secrets.token_hex(4),
}
README = ROOT / "bench" / "README.md"
START, END = "<!-- search-bench:start -->", "<!-- search-bench:end -->"
# Taobao-village counties: Cao (hanfu, costumes), Jinxiang (garlic), Boxing (straw weaving),
# Yiwu, Lin'an (nuts), Shuyang (flowers), Suining (Shaji furniture), Zhenping (jade), Anxi (tea),
# Wugong (dried fruit).
COUNTIES = [
    "371721",
    "370828",
    "371625",
    "330782",
    "330112",
    "320322",
    "320324",
    "411324",
    "350524",
    "610431",
]

# (slug, name, English name, [(product word, English, [materials], [specs])]) per category.
CATALOG = {
    ("clothing", "服装", "Clothing"): [
        ("hanfu", "汉服", "Hanfu", ["真丝", "棉麻", "织锦"], ["明制", "宋制", "马面裙", "襦裙"]),
        ("costumes", "演出服", "Stage costume", ["亮片", "丝绒", "纱"], ["舞蹈", "合唱", "儿童"]),
        ("down-jackets", "羽绒服", "Down jacket", ["白鸭绒", "白鹅绒"], ["长款", "短款", "加厚"]),
        ("kids-wear", "童装", "Kids' clothes", ["纯棉", "针织"], ["套装", "卫衣", "连衣裙"]),
        ("shoes", "布鞋", "Cloth shoes", ["千层底", "纯棉"], ["老北京", "手工", "男款", "女款"]),
    ],
    ("bedding", "家纺", "Home textiles"): [
        ("down-quilts", "羽绒被", "Down quilt", ["白鹅绒", "白鸭绒"], ["冬被", "春秋被", "加厚"]),
        ("silk-quilts", "蚕丝被", "Silk quilt", ["桑蚕丝", "柞蚕丝"], ["夏凉被", "子母被"]),
        ("pillows", "枕头", "Pillow", ["荞麦壳", "决明子", "乳胶"], ["护颈", "单人", "一对"]),
    ],
    ("produce", "农产品", "Farm produce"): [
        ("garlic", "大蒜", "Garlic", ["紫皮", "白皮", "独头"], ["5斤装", "10斤装", "新鲜"]),
        ("jujubes", "红枣", "Jujube", ["骏枣", "灰枣", "金丝小枣"], ["特级", "一级", "500g"]),
        ("honey", "蜂蜜", "Honey", ["槐花", "枣花", "百花", "椴树"], ["土蜂蜜", "500g", "礼盒装"]),
        ("rice", "大米", "Rice", ["长粒香", "稻花香", "糯"], ["5kg", "10斤", "新米"]),
        ("millet", "小米", "Millet", ["黄", "有机"], ["2.5kg", "杂粮", "月子米"]),
        ("wood-ear", "木耳", "Wood ear fungus", ["黑", "秋", "椴木"], ["干货", "250g", "肉厚"]),
        ("walnuts", "核桃", "Walnut", ["山核桃", "薄皮", "纸皮"], ["手剥", "500g", "原味"]),
        ("tea", "茶叶", "Tea", ["铁观音", "红茶", "绿茶", "白茶"], ["浓香型", "清香型", "礼盒"]),
        ("dried-fruit", "果干", "Dried fruit", ["苹果", "猕猴桃", "柿饼"], ["无添加", "袋装"]),
    ],
    ("crafts", "手工艺品", "Crafts"): [
        ("baskets", "篮子", "Basket", ["柳编", "竹编", "草编"], ["收纳", "野餐", "手提"]),
        ("straw-hats", "草帽", "Straw hat", ["麦秆", "草编", "拉菲草"], ["遮阳", "沙滩", "大檐"]),
        (
            "furniture",
            "实木家具",
            "Furniture",
            ["松木", "橡木", "胡桃木"],
            ["书桌", "椅子", "柜子"],
        ),
        ("jade", "玉器", "Jade", ["和田玉", "独山玉", "翡翠"], ["手镯", "吊坠", "摆件"]),
        ("flowers", "花卉", "Flowers", ["多肉", "月季", "绿萝"], ["盆栽", "绿植", "种苗"]),
    ],
}
ADJECTIVES = [
    ("新款", "new"),
    ("手工", "handmade"),
    ("农家", "farmhouse"),
    ("正宗", "genuine"),
    ("特产", "local"),
    ("包邮", "free shipping"),
    ("精品", "premium"),
    ("传统", "traditional"),
    ("有机", "organic"),
    ("复古", "vintage"),
    ("加厚", "thick"),
    ("原生态", "natural"),
    ("古风", "ancient style"),
    ("家用", "household"),
]
# What buyers type: (kind, query). The same list drives the indexed search and the LIKE baseline.
QUERIES = [
    ("chinese", "羽绒被"),
    ("chinese", "汉服"),
    ("chinese", "蜂蜜"),
    ("chinese", "红枣"),
    ("chinese", "实木家具"),
    ("chinese", "草帽"),
    ("sentence", "我想买一床冬天盖的羽绒被"),
    ("sentence", "有没有适合孩子的演出服"),
    ("sentence", "推荐一下正宗的槐花蜂蜜"),
    ("pinyin", "yurongbei"),
    ("pinyin", "hanfu"),
    ("pinyin", "yu rong bei"),
    ("pinyin", "fengmi"),
    ("initials", "yrb"),
    ("initials", "hf"),
    ("english", "down quilt"),
    ("english", "honey"),
    ("english", "straw hat"),
    ("english", "handmade basket"),
    ("typo", "hanfy"),
    ("typo", "yurongbie"),
    ("typo", "汗服"),
    ("place", "曹县 汉服"),
    ("place", "金乡大蒜"),
    ("place", "安溪铁观音"),
    ("place", "义乌"),
]
PREFIXES = [
    ("chinese", "羽"),
    ("chinese", "羽绒"),
    ("chinese", "汉"),
    ("chinese", "蜂蜜"),
    ("chinese", "红"),
    ("chinese", "草编"),
    ("pinyin", "y"),
    ("pinyin", "yu"),
    ("pinyin", "yuro"),
    ("pinyin", "han"),
    ("pinyin", "fengm"),
    ("initials", "yr"),
    ("initials", "hf"),
    ("english", "do"),
    ("english", "hone"),
    ("english", "stra"),
    ("place", "曹"),
    ("place", "caox"),
]


# --------------------------------------------------------------------------- data


def use_database(name: str) -> None:
    global DB_NAME
    DB_NAME = name
    ENV["DATABASE_URL"] = f"{PG}/{name}?application_name={APP_NAME}"


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def setup_django(migrate: bool) -> None:
    os.environ.update(ENV)
    # The server's settings (its cache prefix too: a reindex here bumps the version it reads).
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.search_site"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", "--no-input", "-v", "0")
        call_command("createcachetable")


def progress_bar():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )


def make_categories() -> list[tuple]:
    """The two-level tree; returns (leaf category, product word, English, materials, specs)."""
    from villagemarket.catalog.models import Category

    leaves = []
    for position, ((slug, name, name_en), products) in enumerate(CATALOG.items()):
        top = Category.objects.create(slug=slug, name=name, name_en=name_en, position=position)
        for child_position, (child_slug, word, english, materials, specs) in enumerate(products):
            leaf = Category.objects.create(
                slug=child_slug,
                name=word,
                name_en=english,
                parent=top,
                position=child_position,
            )
            leaves.append((leaf, word, english, materials, specs))
    return leaves


def make_shops(count: int, rng: random.Random) -> list:
    """Active shops spread over the loaded villages (rural first), named after their village."""
    from villagemarket.regions.models import Level, Region
    from villagemarket.shops.models import Shop

    villages = list(
        Region.objects.filter(level=Level.VILLAGE, is_rural=True).select_related(
            "parent", "parent__parent"
        )
    )
    kinds = ["household"] * 6 + ["cooperative", "factory", "service_point"]
    endings = [("小店", "Shop"), ("合作社", "Co-op"), ("工坊", "Workshop"), ("特产店", "Goods")]
    shops = []
    for i in range(count):
        village = rng.choice(villages)
        ending, ending_en = rng.choice(endings)
        shops.append(
            Shop(
                name=f"{village.short_name}{ending}{i % 97 or ''}",
                name_en=f"{village.name_latin or village.name_pinyin} {ending_en}",
                slug=f"shop-{i}",
                village=village,
                kind=rng.choice(kinds),
                ship_from_address="村委会旁",
                phone="13800000000",
                status="active",
            )
        )
    Shop.objects.bulk_create(shops, batch_size=2000)
    # Each shop with the names of its county, township and village (for titles): one query.
    return [
        (shop, village_of(shop))
        for shop in Shop.objects.select_related("village__parent__parent").order_by("pk")
    ]


def village_of(shop):
    village = shop.village
    township = village.parent
    county = township.parent if township else None
    return [r.short_name for r in (county, township, village) if r is not None]


def make_title(rng: random.Random, leaf: tuple, places: list[str]) -> tuple[str, str, dict]:
    """A realistic title: [place] adjective [material] product word [spec], plus English."""
    _leaf, word, english, materials, specs = leaf
    adjective, adjective_en = rng.choice(ADJECTIVES)
    material = rng.choice(materials)
    spec = rng.choice(specs)
    parts = []
    if rng.random() < 0.45:
        parts.append(rng.choice(places[:2] or places))
    parts.append(adjective)
    if rng.random() < 0.7:
        parts.append(material)
    parts.append(word)
    if rng.random() < 0.6:
        parts.append(spec)
    if rng.random() < 0.3:
        other, _ = rng.choice(ADJECTIVES)
        parts.append(other)
    title = "".join(parts) if rng.random() < 0.5 else " ".join(parts)
    return title[:120], f"{adjective_en.title()} {english}", {"材质": material, "规格": spec}


def make_products(total: int, shops: list, leaves: list, rng: random.Random) -> None:
    """Bulk insert `total` published products (with 1-3 SKUs each), showing progress."""
    from django.utils import timezone

    from villagemarket.catalog.models import SKU, Product
    from villagemarket.catalog.searchtext import build_search_text

    now = timezone.now()
    batch_size = 2000
    with progress_bar() as bar:
        task = bar.add_task("generating products", total=total)
        for start in range(0, total, batch_size):
            products = []
            for _ in range(min(batch_size, total - start)):
                shop, places = rng.choice(shops)
                leaf = rng.choice(leaves)
                title, title_en, attributes = make_title(rng, leaf, places)
                price = rng.choice([990, 1990, 2990, 4900, 8800, 12800, 19900, 39900, 69900])
                products.append(
                    Product(
                        shop=shop,
                        category=leaf[0],
                        title=title,
                        title_en=title_en,
                        description=f"<p>{places[-1]}{leaf[1]}，{attributes['材质']}，"
                        f"产地直发。{title}</p>",
                        attributes={"产地": places[0], **attributes},
                        status="published",
                        min_price_minor=price,
                        sales_count=int(rng.paretovariate(1.2)) - 1,
                        search_text=build_search_text(title, title_en),
                        published_at=now - datetime.timedelta(days=rng.uniform(0, 365)),
                        is_perishable=leaf[0].parent.slug == "produce",
                        returns_7day=leaf[0].parent.slug != "produce",
                    )
                )
            Product.objects.bulk_create(products, batch_size=batch_size)
            skus = []
            for product in products:
                for n in range(rng.randint(1, 3)):
                    skus.append(
                        SKU(
                            product=product,
                            options={"规格": ["标准", "大号", "礼盒"][n]},
                            price_minor=product.min_price_minor + 500 * n,
                            stock=rng.randint(0, 500),
                            position=n,
                        )
                    )
            SKU.objects.bulk_create(skus, batch_size=5000)
            bar.update(task, advance=len(products))


def generate(products: int, shops: int, seed: int) -> dict:
    from villagemarket.regions.services import load_demo_regions

    rng = random.Random(seed)
    figures = {}
    t0 = time.perf_counter()
    loaded = load_demo_regions(COUNTIES, progress=True)
    figures["regions"] = (loaded.total, time.perf_counter() - t0)
    print(f"regions: {loaded.total} in {figures['regions'][1]:.1f}s")
    leaves = make_categories()
    t0 = time.perf_counter()
    shop_rows = make_shops(shops, rng)
    make_products(products, shop_rows, leaves, rng)
    figures["generate"] = time.perf_counter() - t0
    print(f"{shops} shops and {products} products in {figures['generate']:.1f}s")
    return figures


def build_index(jobs: int) -> dict:
    """Time the real `villagemarket search reindex --jobs N` (rich progress bar) over every
    product: wall seconds, and CPU seconds of the indexing processes (this one and its forked
    workers) and of PostgreSQL (every postgres process: the workers' backends come and go; on
    a shared machine this includes other people's work, see the load average)."""
    from django.core.management import call_command

    cpu_before, t0, load = cpu_snapshot(None), time.perf_counter(), load_average()
    call_command("search", "reindex", "--jobs", str(jobs))
    seconds = time.perf_counter() - t0
    cpu_after = cpu_snapshot(None)
    return {
        "index": seconds,
        "index_jobs": jobs,
        "index_cpu": cpu_after["load generator"] - cpu_before["load generator"],
        "index_pg_cpu": cpu_after["postgres"] - cpu_before["postgres"],
        "index_load": (load, load_average()),
    }


# --------------------------------------------------------------------------- serving


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen:
    """gunicorn (bench/_server.py) with the bench settings; ready once search answers."""
    env = {**ENV, "DJANGO_SETTINGS_MODULE": "bench.search_site"}
    return _server.start_server(
        port,
        workers,
        threads,
        env,
        ready=lambda p: get(p, "/api/v1/search/suggest?q=x")[0] == 200,
    )


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


PHASES = {
    "search": ("/api/v1/search/products?q=", QUERIES),
    "LIKE search (before)": ("/bench/like-search?q=", QUERIES),
    "suggest": ("/api/v1/search/suggest?q=", PREFIXES),
}


def run_phase(port: int, name: str, clients: int, seconds: float, server_pid: int) -> dict:
    """`clients` threads each loop over the phase's queries (from a different start) for
    `seconds`; each first runs every query once, untimed (workers load jieba, caches warm)."""
    base, queries = PHASES[name]
    paths = [(kind, base + urllib.parse.quote(q)) for kind, q in queries]
    lock = threading.Lock()
    timings: list[tuple[str, float]] = []
    errors: dict[str, int] = {}
    barrier = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        for _kind, path in paths[index % len(paths) :] + paths[: index % len(paths)]:
            get(port, path)
        barrier.wait()
        deadline = time.perf_counter() + seconds
        i = index
        while time.perf_counter() < deadline:
            kind, path = paths[i % len(paths)]
            i += 1
            started = time.perf_counter()
            try:
                status, _ = get(port, path)
            except OSError as exc:
                status = type(exc).__name__
            took = time.perf_counter() - started
            with lock:
                if status == 200:
                    timings.append((kind, took))
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    pids_before = backend_pids(DB_NAME, APP_NAME)
    cpu_before, load_before = cpu_snapshot(server_pid, pids_before), load_average()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    pids_after = backend_pids(DB_NAME, APP_NAME)
    cpu_after = cpu_snapshot(server_pid, sorted(set(pids_before) | set(pids_after)))
    cpu = {k: cpu_after.get(k, 0.0) - cpu_before.get(k, 0.0) for k in cpu_after}
    # The app's own backends (persistent connections, one per gunicorn thread): those present
    # at both ends count their difference, one born during the phase all of its CPU; one that
    # ended during the phase is lost (counted in `backends_lost`, normally 0).
    cpu["postgres"] = sum(cpu[f"backend {pid}"] for pid in pids_after)
    lost = len(set(pids_before) - set(pids_after))
    latencies = [t for _, t in timings]
    done = max(len(timings), 1)
    other = max(
        0.0, cpu["machine busy"] - cpu["gunicorn"] - cpu["postgres"] - cpu["load generator"]
    )
    by_kind: dict[str, list[float]] = {}
    for kind, took in timings:
        by_kind.setdefault(kind, []).append(took)
    return {
        "name": name,
        "queries": len(timings),
        "errors": errors,
        "qps": len(timings) / elapsed,
        "p50": percentile(latencies, 0.5),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "gunicorn_ms": cpu["gunicorn"] * 1000 / done,
        "postgres_ms": cpu["postgres"] * 1000 / done,
        "backends": len(set(pids_before) | set(pids_after)),
        "backends_lost": lost,
        "other_ms": other * 1000 / done,
        "busy": cpu["machine busy"] / cpu["machine all"] * 100 if cpu["machine all"] else 0,
        "load": (load_before, load_average()),
        "by_kind": {
            kind: (percentile(ts, 0.5), percentile(ts, 0.95)) for kind, ts in by_kind.items()
        },
    }


def result_counts(port: int) -> list[tuple[str, str, int, int]]:
    """(kind, query, found by the index, found by LIKE) for each query of the mix."""
    rows = []
    for kind, q in QUERIES:
        quoted = urllib.parse.quote(q)
        _, indexed = get(port, f"/api/v1/search/products?q={quoted}")
        _, like = get(port, f"/bench/like-search?q={quoted}")
        rows.append((kind, q, json.loads(indexed)["count"], json.loads(like)["count"]))
    return rows


# --------------------------------------------------------------------------- report


def summary(args, figures: dict, phases: list[dict], counts: list) -> str:
    machine = f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}"
    lines = [
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {machine} "
        f"(shared); {args.products:,} products, {args.shops:,} shops, {args.clients} clients, "
        f"{args.seconds:.0f} s per phase, gunicorn {args.workers}x{args.threads} gthread, "
        "PostgreSQL.",
        "",
    ]
    if "index" in figures:
        rate = args.products / figures["index"]
        lines += [
            f"Index build (`villagemarket search reindex --jobs {figures['index_jobs']}`): "
            f"**{figures['index']:.0f} s** wall ({rate:,.0f} products/s; target < 120 s; load "
            f"{figures['index_load'][0]} -> {figures['index_load'][1]}), CPU "
            f"{figures['index_cpu']:.0f} s in the indexing processes + PostgreSQL "
            f"{figures['index_pg_cpu']:.0f} s (every postgres process of the machine).",
            "",
        ]
    lines += [
        "| phase | queries/s | p50 / p95 / p99 ms | CPU ms per query: gunicorn + PostgreSQL "
        "| other processes ms/query | errors |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for p in phases:
        lines.append(
            f"| {p['name']} | {p['qps']:.1f} | {p['p50']:.0f} / {p['p95']:.0f} / {p['p99']:.0f} "
            f"| {p['gunicorn_ms']:.1f} + {p['postgres_ms']:.1f} | {p['other_ms']:.1f} "
            f"| {sum(p['errors'].values())} |"
        )
    kinds = sorted({k for p in phases for k in p["by_kind"]})
    lines += ["", "p50 / p95 ms per kind of query:", ""]
    lines += ["| kind | " + " | ".join(p["name"] for p in phases) + " |"]
    lines += ["| --- |" + " --- |" * len(phases)]
    for kind in kinds:
        cells = []
        for p in phases:
            got = p["by_kind"].get(kind)
            cells.append(f"{got[0]:.0f} / {got[1]:.0f}" if got else "")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    if counts:
        lines += ["", "Products found (index / LIKE):", ""]
        lines.append(
            ", ".join(f"{q} {indexed} / {like}" for _kind, q, indexed, like in counts) + "."
        )
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = README.read_text()
    block = f"{START}\n{text}\n{END}"
    if START in readme:
        readme = re.sub(
            re.escape(START) + ".*?" + re.escape(END), lambda _m: block, readme, flags=re.S
        )
    else:
        readme = readme.rstrip() + "\n\n## Search figures (bench/search.py)\n\n" + block + "\n"
    README.write_text(readme)


def print_phase(p: dict) -> None:
    print(
        f"{p['name']}: {p['queries']} queries, {p['qps']:.1f}/s, p50 {p['p50']:.0f} ms, "
        f"p95 {p['p95']:.0f} ms, p99 {p['p99']:.0f} ms; CPU ms/query gunicorn "
        f"{p['gunicorn_ms']:.1f} + postgres {p['postgres_ms']:.1f}, other processes "
        f"{p['other_ms']:.1f} (machine {p['busy']:.0f}% busy, load {p['load'][0]} -> "
        f"{p['load'][1]}); errors {p['errors'] or 0}"
    )
    print(
        "   per kind p50/p95: "
        + ", ".join(f"{k} {a:.0f}/{b:.0f}" for k, (a, b) in sorted(p["by_kind"].items()))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--shops", type=int, default=5_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20, help="per phase")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2, help="reindex processes (--jobs)")
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/0",
        help="REDIS_URL of the server (the cache: suggestions); '' for the database cache",
    )
    parser.add_argument(
        "--reuse", action="store_true", help=f"keep the {DB_NAME} database and its products"
    )
    parser.add_argument("--no-reindex", action="store_true", help="with --reuse: keep the index")
    parser.add_argument(
        "--phases",
        default=",".join(PHASES),
        help="comma-separated, any of: " + ", ".join(PHASES),
    )
    parser.add_argument("--no-readme", action="store_true", help="do not write bench/README.md")
    parser.add_argument("--database", default=DB_NAME, help="PostgreSQL database (dropped!)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress lines show up when piped to a file
    if not re.fullmatch(r"vm_bench\w*", args.database):
        parser.error("--database must start with vm_bench (it is dropped and recreated)")
    use_database(args.database)
    ENV["REDIS_URL"] = args.redis
    figures: dict = {}
    if not args.reuse:
        fresh_database()
    setup_django(migrate=True)
    if not args.reuse:
        figures.update(generate(args.products, args.shops, args.seed))
    else:
        from villagemarket.catalog.models import Product
        from villagemarket.shops.models import Shop

        args.products, args.shops = Product.objects.count(), Shop.objects.count()
    if not (args.reuse and args.no_reindex):
        figures.update(build_index(args.jobs))
        print(
            f"index built in {figures['index']:.1f}s ({args.products / figures['index']:.0f}/s); "
            f"CPU {figures['index_cpu']:.1f}s + PostgreSQL {figures['index_pg_cpu']:.1f}s"
        )
    from django.db import connection, connections

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would give later
        cursor.execute("VACUUM ANALYZE")
    connections.close_all()
    port = free_port()
    server = start_server(port, args.workers, args.threads)
    phases = []
    try:
        counts = result_counts(port)
        for name in args.phases.split(","):
            phases.append(run_phase(port, name, args.clients, args.seconds, server.pid))
            print_phase(phases[-1])
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = summary(args, figures, phases, counts)
    print()
    print(text)
    if not args.no_readme:
        write_readme(text)
        print(f"\nwritten to {README.relative_to(ROOT)}")
    if any(p["errors"] for p in phases):
        sys.exit(1)


if __name__ == "__main__":
    main()
