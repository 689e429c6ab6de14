"""What the HTTP benchmarks share: gunicorn start-up on a free port, and CPU accounting.

- `start_server`: gunicorn (gthread) serving the site with the given environment; keep-alive 0
  by default (a connection per request, as behind nginx's default proxying, so requests spread
  over the workers: with keep-alive one worker ended up with ~90% of them, bench/checkout.py).
- `cpu_snapshot`: CPU seconds so far of gunicorn (master + workers), PostgreSQL, this load
  generator and the whole machine. PostgreSQL is either every `postgres` process of the machine
  (other engineers' databases included) or, better, only the backends serving the benchmark's
  own connections: `backend_pids(application_name)` finds them in pg_stat_activity (the bench
  puts `application_name` in DATABASE_URL) and /proc/<pid>/stat gives their utime + stime.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PG = "postgres://postgres@127.0.0.1:5432"


def proc_cpu(pid: str | int) -> float:
    """utime + stime of one process, seconds (0 if it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def backend_pids(database: str, application_name: str) -> list[int]:
    """PostgreSQL backends now connected to `database` under `application_name`."""
    import psycopg

    with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND application_name = %s",
            [database, application_name],
        ).fetchall()
    return [pid for (pid,) in rows]


def _all_postgres_cpu() -> float:
    used = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    used += proc_cpu(entry.name)
            except OSError:
                continue
    return used


def cpu_snapshot(
    server_pid: int | None, postgres_pids: list[int] | None = None
) -> dict[str, float]:
    """CPU seconds used so far by gunicorn (master + workers), PostgreSQL (the given backends,
    or every postgres process of the machine), this load generator (and its finished children),
    and the machine in total (busy and all, from /proc/stat). Per-backend figures are under
    "backend <pid>" so a caller can subtract only backends present at both ends."""
    gunicorn, workers = 0.0, {}
    if server_pid:
        workers = {pid: proc_cpu(pid) for pid in children(server_pid)}
        gunicorn = proc_cpu(server_pid) + sum(workers.values())
    backends = {pid: proc_cpu(pid) for pid in postgres_pids or []}
    postgres = sum(backends.values()) if postgres_pids is not None else _all_postgres_cpu()
    times = os.times()
    cpu = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = cpu[3] + cpu[4]
    return {
        "gunicorn": gunicorn,
        "postgres": postgres,
        "load generator": times.user + times.system + times.children_user + times.children_system,
        "machine busy": (sum(cpu) - idle) / CLOCK_TICKS,
        "machine all": sum(cpu) / CLOCK_TICKS,
        **{f"worker {pid}": used for pid, used in workers.items()},
        **{f"backend {pid}": used for pid, used in backends.items()},
    }


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def free_port() -> int:
    for port in range(8100, 9000):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise SystemExit("no free port in 8100-8999")


def percentile(values: list[float], fraction: float) -> float:
    """In milliseconds; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    if fraction == 0.5:
        return statistics.median(ordered) * 1000
    return ordered[int(fraction * (len(ordered) - 1))] * 1000


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def start_server(
    port: int,
    workers: int,
    threads: int,
    env: dict[str, str],
    keep_alive: int = 0,
    ready: Callable[[int], bool] | None = None,
) -> subprocess.Popen:
    """gunicorn serving villagemarket on 127.0.0.1:`port` with `env` over this environment;
    returns once `ready(port)` (default: the port accepts connections)."""
    cmd = [
        str(ROOT / ".venv/bin/gunicorn"),
        "villagemarket.config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--keep-alive",
        str(keep_alive),
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env})  # noqa: S603 - fixed
    check = ready or _listening
    for _ in range(100):
        try:
            if check(port):
                return server
        except OSError:
            pass
        time.sleep(0.1)  # waiting for gunicorn to bind, not a race fix
    server.terminate()
    raise SystemExit("gunicorn did not start")
