"""Checkout benchmark: complete purchases over HTTP against gunicorn on PostgreSQL.

    .venv/bin/python bench/checkout.py --clients 8 --seconds 20
    .venv/bin/python bench/checkout.py --flash            # 500 buyers rush a SKU with 50 units

It creates a fresh database (vm_bench), migrates, seeds buyers (API token + signed-in session +
address), two shops and their SKUs, starts gunicorn (gthread) on a free port with the task backend
set to ImmediateBackend, so the sandbox's signed notification is POSTed over HTTP to the app's own
notify URL while the pay request runs. One purchase = add a SKU of shop A to the cart, add one of
shop B, check out (Idempotency-Key), pay on the sandbox page. Afterwards the database is checked:
payments succeeded and orders awaiting shipment must match the purchases that answered OK.
Standard library only (threads + http.client). gunicorn runs with keep-alive 0 (a connection per
request, as behind nginx's default proxying) so requests spread over its workers. Prints CPU ms per
purchase for gunicorn, PostgreSQL, this load generator and other processes, and the load average.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _server  # noqa: E402
from _server import cpu_snapshot, free_port, load_average, percentile  # noqa: E402

WARMUP = 3
WAIT_FOR_PAID = False
ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "vm_bench"
PG = "postgres://postgres@127.0.0.1:5432"
SECRET = "bench-" + secrets.token_hex(16)
ENV = {
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "VM_TASK_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
    "SANDBOX_PAYMENT_SECRET": SECRET,
    "LOG_LEVEL": "ERROR",
    "SECRET_KEY": "bench-" + secrets.token_hex(32),
    "REDIS_URL": "",
}


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def setup_django() -> None:
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villagemarket.config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", "-v", "0")
    call_command("createcachetable")


def seed(buyers: int, stock: int) -> dict:
    """Buyers with a token, a session and an address; shop A and B with one SKU each."""
    from django.test import Client

    from villagemarket.accounts.models import ApiToken, User
    from villagemarket.orders.services import save_address
    from villagemarket.testing import make_product, make_region_tree, make_shop

    village = make_region_tree()
    owner_a = User.objects.create_user(email="a@bench.test", password=None)
    owner_b = User.objects.create_user(email="b@bench.test", password=None)
    shop_a = make_shop(owner_a, village, name="Bench A", slug="bench-a")
    shop_b = make_shop(owner_b, village, name="Bench B", slug="bench-b")
    sku_a = make_product(shop_a, title="演出服", price_minor=9900, stock=stock).skus.get()
    sku_b = make_product(shop_b, title="羽绒被", price_minor=25000, stock=stock).skus.get()
    people = []
    for i in range(buyers):
        user = User.objects.create_user(email=f"buyer{i}@bench.test", password=None)
        token = ApiToken.new_secret()
        ApiToken.objects.create(user=user, name="bench", token_hash=ApiToken.hash_secret(token))
        client = Client()
        client.force_login(user)
        address = save_address(
            user=user,
            region_code="371721121",
            detail=f"丁楼村 {i} 号",
            recipient="王芳",
            mobile="13912345678",
        )
        people.append(
            {"token": token, "session": client.cookies["sessionid"].value, "address": address.pk}
        )
    return {"buyers": people, "sku_a": sku_a.pk, "sku_b": sku_b.pk}


def start_workers(count: int) -> list[subprocess.Popen]:
    """django-tasks-db workers that deliver the notifications (the production path)."""
    env = {**os.environ, **ENV}
    cmd = [
        str(ROOT / ".venv/bin/python"),
        "manage.py",
        "db_worker",
        "--interval",
        "0.05",
        "--no-reload",
    ]
    return [
        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
        for _ in range(count)
    ]


def start_server(port: int, workers: int, threads: int, keep_alive: int) -> subprocess.Popen:
    # keep-alive 0: a connection per request, as behind nginx's default proxy (HTTP/1.0
    # upstream); the next request goes to whichever worker is free (bench/_server.py).
    return _server.start_server(port, workers, threads, ENV, keep_alive=keep_alive)


class Session:
    """One client: a keep-alive connection, a buyer's token, session cookie and CSRF cookie."""

    def __init__(self, port: int, buyer: dict):
        self.port = port
        self.buyer = buyer
        self.csrf = secrets.token_hex(16)  # 32 characters: Django accepts it as the cookie secret
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes, dict]:
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                return response.status, response.read(), dict(response.getheaders())
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def api(self, method: str, path: str, payload: dict, **extra) -> tuple[int, dict]:
        headers = {
            "Authorization": f"Bearer {self.buyer['token']}",
            "Content-Type": "application/json",
            **extra,
        }
        data = None if payload is None else json.dumps(payload).encode()
        status, body, _ = self.request(method, path, data, headers)
        return status, (json.loads(body) if body else {})

    def pay(self, pay_url: str) -> int:
        form = urllib.parse.urlencode(
            {"action": "pay", "delay": "0", "csrfmiddlewaretoken": self.csrf}
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={self.buyer['session']}; csrftoken={self.csrf}",
        }
        status, _, _ = self.request("POST", pay_url, form.encode(), headers)
        return status


def purchase(session: Session, seeded: dict, steps: list | None = None) -> str:
    """One complete purchase; returns "ok" or what failed. Appends each step's seconds to
    `steps`."""
    steps = [] if steps is None else steps
    mark = time.perf_counter()

    def lap() -> None:
        nonlocal mark
        now = time.perf_counter()
        steps.append(now - mark)
        mark = now

    for sku in (seeded["sku_a"], seeded["sku_b"]):
        status, _ = session.api("POST", "/api/v1/cart/lines", {"sku_id": sku, "quantity": 1})
        if status != 201:
            return f"cart {status}"
        lap()
    status, body = session.api(
        "POST",
        "/api/v1/orders/checkout",
        {"address_id": session.buyer["address"]},
        **{"Idempotency-Key": str(uuid.uuid4())},
    )
    if status != 201:
        return f"checkout {status}"
    lap()
    status = session.pay(body["pay_url"])
    if status != 302:
        return f"pay {status}"
    lap()
    if not WAIT_FOR_PAID:
        return "ok"
    # Worker delivery: the purchase is complete when the notification has marked it paid.
    for _ in range(600):
        status, paid = session.api("GET", f"/api/v1/payments/{body['payment_id']}", None)
        if status == 200 and paid["status"] == "succeeded":
            lap()
            return "ok"
        time.sleep(0.05)  # polling like the return page does, not a race fix
    return "not paid"


STEP_NAMES = ("cart add A", "cart add B", "checkout", "pay", "until paid")


def run_purchases(
    port: int, seeded: dict, clients: int, seconds: float, purchases: int | None, server_pid=None
) -> dict:
    latencies: list[float] = []
    step_times: dict[str, list[float]] = {name: [] for name in STEP_NAMES}
    outcomes: dict[str, int] = {}
    lock = threading.Lock()
    budget = queue.Queue()
    if purchases:
        for _ in range(purchases):
            budget.put(1)
    barrier = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        session = Session(port, seeded["buyers"][index])
        # Warm-up (not timed): gunicorn workers import and build URL resolvers on first requests.
        for _ in range(WARMUP):
            warm = purchase(session, seeded)
            with lock:
                outcomes["warm-up " + warm] = outcomes.get("warm-up " + warm, 0) + 1
        barrier.wait()
        deadline = time.perf_counter() + seconds
        while True:
            if purchases:
                try:
                    budget.get_nowait()
                except queue.Empty:
                    return
            elif time.perf_counter() >= deadline:
                return
            started = time.perf_counter()
            steps: list[float] = []
            try:
                outcome = purchase(session, seeded, steps)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                outcome = f"error {type(exc).__name__}"
            with lock:
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                if outcome == "ok":
                    latencies.append(time.perf_counter() - started)
                    for name, took in zip(STEP_NAMES, steps, strict=False):
                        step_times[name].append(took)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    cpu_before, load_before = cpu_snapshot(server_pid), load_average()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu_after = cpu_snapshot(server_pid)
    return {
        "elapsed": elapsed,
        "latencies": latencies,
        "outcomes": outcomes,
        "steps": step_times,
        "cpu": {k: cpu_after.get(k, 0.0) - cpu_before[k] for k in cpu_before},
        "load": (load_before, load_average()),
    }


def check_database(ok: int) -> dict:
    from villagemarket.orders.models import ShopOrder
    from villagemarket.payments.models import Payment, PaymentEvent

    return {
        "payments_succeeded": Payment.objects.filter(status="succeeded").count(),
        "payments_total": Payment.objects.count(),
        "orders_awaiting_shipment": ShopOrder.objects.filter(status="awaiting_shipment").count(),
        "orders_total": ShopOrder.objects.count(),
        "succeeded_events": PaymentEvent.objects.filter(kind="succeeded").count(),
        "expected_payments": ok,
    }


def flash(port: int, seeded: dict, clients: int) -> dict:
    """Every buyer checks out 1 unit of one SKU with `stock` units, all at once."""
    todo: queue.Queue = queue.Queue()
    for buyer in seeded["buyers"]:
        todo.put(buyer)
    counts: dict[str, int] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client() -> None:
        barrier.wait()
        while True:
            try:
                buyer = todo.get_nowait()
            except queue.Empty:
                return
            session = Session(port, buyer)
            try:
                status, body = session.api(
                    "POST",
                    "/api/v1/orders/checkout",
                    {
                        "address_id": buyer["address"],
                        "items": [{"sku_id": seeded["sku_a"], "quantity": 1}],
                    },
                    **{"Idempotency-Key": str(uuid.uuid4())},
                )
                key = (
                    "sold"
                    if status == 201
                    else (f"refused {body.get('code')}" if status < 500 else "5xx")
                )
            except Exception as exc:  # noqa: BLE001
                key = f"error {type(exc).__name__}"
            finally:
                session.conn.close()
            with lock:
                counts[key] = counts.get(key, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return {"elapsed": time.perf_counter() - started, "counts": counts}


def main() -> None:
    global WAIT_FOR_PAID, DB_NAME
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--purchases", type=int, default=0, help="stop after this many (instead of --seconds)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="threads per gunicorn worker; default clients + 4 in inline mode, so that a worker "
        "holding every client's pay request still has threads for their notifications",
    )
    parser.add_argument(
        "--keep-alive",
        type=int,
        default=0,
        help="gunicorn keep-alive seconds (0: a connection per request)",
    )
    parser.add_argument(
        "--delivery",
        choices=["inline", "worker"],
        default="inline",
        help="inline: ImmediateBackend, the pay request POSTs the notification; "
        "worker: django-tasks-db workers deliver it and clients poll until paid",
    )
    parser.add_argument("--task-workers", type=int, default=2)
    parser.add_argument("--flash", action="store_true", help="500 buyers rush a SKU with 50 units")
    parser.add_argument("--buyers", type=int, default=500, help="buyers in --flash")
    parser.add_argument("--stock", type=int, default=50, help="units in --flash")
    parser.add_argument(
        "--db-options",
        default="",
        help="query string added to DATABASE_URL (psycopg/Django OPTIONS), e.g. "
        "'server_side_binding=true&prepare_threshold=1' for server-side prepared statements",
    )
    parser.add_argument(
        "--database",
        default=DB_NAME,
        help="PostgreSQL database to drop and create (another name runs beside someone's bench)",
    )
    args = parser.parse_args()

    DB_NAME = args.database
    ENV["DATABASE_URL"] = f"{PG}/{DB_NAME}"
    if not args.threads:
        args.threads = args.clients + 4 if args.delivery == "inline" and not args.flash else 8
    if args.db_options:
        ENV["DATABASE_URL"] += "?" + args.db_options
    if args.delivery == "worker":
        ENV["VM_TASK_BACKEND"] = "django_tasks_db.DatabaseBackend"
        WAIT_FOR_PAID = True
    fresh_database()
    setup_django()
    t0 = time.perf_counter()
    seeded = seed(args.buyers if args.flash else args.clients, args.stock if args.flash else 10**7)
    print(f"seeded in {time.perf_counter() - t0:.1f}s; database {DB_NAME}")
    port = free_port()
    # The sandbox posts its notification to SITE_URL (never the request's Host): this server.
    ENV["SITE_URL"] = f"http://127.0.0.1:{port}"
    server = start_server(port, args.workers, args.threads, args.keep_alive)
    args.server_pid = server.pid
    task_workers = start_workers(args.task_workers) if args.delivery == "worker" else []
    try:
        if args.flash:
            report_flash(port, seeded, args)
        else:
            report_purchases(port, seeded, args)
    finally:
        for process in [server, *task_workers]:
            process.terminate()
            process.wait(timeout=30)
        from django.db import connections

        connections.close_all()


def report_purchases(port: int, seeded: dict, args) -> None:
    result = run_purchases(
        port, seeded, args.clients, args.seconds, args.purchases or None, args.server_pid
    )
    ok = result["outcomes"].get("ok", 0)
    warm_ok = result["outcomes"].get("warm-up ok", 0)
    p50 = percentile(result["latencies"], 0.5)
    p95 = percentile(result["latencies"], 0.95)
    db = check_database(ok + warm_ok)
    elapsed = result["elapsed"]
    print(
        f"clients={args.clients} gunicorn={args.workers}x{args.threads} "
        f"keep-alive={args.keep_alive} delivery={args.delivery}"
        + (f" db-options={args.db_options}" if args.db_options else "")
    )
    print(f"elapsed {elapsed:.1f}s")
    print(f"outcomes: {result['outcomes']}")
    print(f"complete purchases/s: {ok / elapsed:.1f}  (4 HTTP requests + 1 notification each)")
    print(f"latency per purchase: p50 {p50:.0f} ms  p95 {p95:.0f} ms")
    print(
        "per step p50/p95 ms: "
        + ", ".join(
            f"{name} {percentile(times, 0.5):.0f}/{percentile(times, 0.95):.0f}"
            for name, times in result["steps"].items()
            if times
        )
    )
    cpu, done_timed = result["cpu"], max(ok, 1)
    share = cpu["machine busy"] / cpu["machine all"] * 100 if cpu["machine all"] else 0
    # Other engineers' work on the shared machine (PostgreSQL's share of it is counted above).
    other = max(
        0.0, cpu["machine busy"] - cpu["gunicorn"] - cpu["postgres"] - cpu["load generator"]
    )
    print(
        "CPU ms per purchase: "
        + ", ".join(
            f"{name} {cpu[name] * 1000 / done_timed:.1f}"
            for name in ("gunicorn", "postgres", "load generator", "machine busy")
        )
        + f", other processes {other * 1000 / done_timed:.1f}"
        + f"  (machine {share:.0f}% busy; load average {result['load'][0]} -> {result['load'][1]})"
    )
    done = ok + warm_ok
    consistent = (
        db["payments_succeeded"] == db["payments_total"] == done
        and db["orders_awaiting_shipment"] == db["orders_total"] == 2 * done
        and db["succeeded_events"] == done
    )
    split = [cpu[k] for k in cpu if k.startswith("worker ")]
    print(
        "gunicorn workers' share of its CPU: "
        + " / ".join(f"{used / max(sum(split), 1e-9) * 100:.0f}%" for used in split)
    )
    print(f"database: {db}  -> {'CONSISTENT' if consistent else 'MISMATCH'}")
    if not consistent:
        sys.exit(1)


def report_flash(port: int, seeded: dict, args) -> None:
    from villagemarket.catalog.models import SKU
    from villagemarket.orders.models import ShopOrderLine

    result = flash(port, seeded, args.clients)
    sold = sum(
        ShopOrderLine.objects.filter(sku_id=seeded["sku_a"]).values_list("quantity", flat=True)
    )
    stock = SKU.objects.get(pk=seeded["sku_a"]).stock
    counts = result["counts"]
    print(
        f"flash: {len(seeded['buyers'])} buyers, {args.stock} units, {args.clients} clients at once"
    )
    print(f"answers: {counts}")
    print(f"sold (database): {sold}  stock left: {stock}  5xx: {counts.get('5xx', 0)}")
    print(f"time: {result['elapsed']:.2f}s")
    if sold != args.stock or stock != 0 or counts.get("sold", 0) != args.stock or counts.get("5xx"):
        print("FAILED: oversold, undersold or server errors")
        sys.exit(1)


if __name__ == "__main__":
    main()
