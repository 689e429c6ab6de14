"""Real `manage.py worker` processes on the test database, for the worker's survival tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

PROJECT = Path(__file__).resolve().parents[2]


# PostgreSQL sessions of the worker processes a test starts carry this application_name, so a
# test can cut exactly those (terminate_worker_backends) and never the test's own connections or
# the live server's (pytest-django keeps one live server, and its connection, for the session).
WORKER_APPLICATION = "vm-test-worker"


def subprocess_database_url() -> str | None:
    """The test database as a DATABASE_URL another process can open; None for SQLite in memory
    (pytest-django's default, out of a subprocess's reach)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return None if connection.is_in_memory_db() else f"sqlite:///{db['NAME']}"
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return (
        f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}?application_name={WORKER_APPLICATION}"
    )


def terminate_worker_backends() -> int:
    """pg_terminate_backend every session of the test's worker processes (what a database
    failover does to them); returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = %s",
            [WORKER_APPLICATION],
        )
        return cursor.fetchone()[0]


@contextmanager
def worker_processes(tmp_path: Path, url: str) -> Iterator[Callable[..., subprocess.Popen]]:
    """`start(**env)` starts one worker (polling fast, its log in tmp_path); every one started is
    stopped (SIGTERM, then SIGKILL after 10 s) when the block ends."""
    started: list[subprocess.Popen] = []

    def start(**env: str) -> subprocess.Popen:
        environment = {
            k: v for k, v in os.environ.items() if not k.startswith(("VM_TEST_DB", "DJANGO_"))
        }
        environment.update(
            DJANGO_SETTINGS_MODULE="villagemarket.config.settings",
            DATABASE_URL=url,
            VM_VAR_DIR=str(tmp_path),
            PYTHONWARNINGS="ignore",
            **env,
        )
        log = open(tmp_path / f"worker-{len(started)}.log", "w")  # noqa: SIM115 - kept by Popen
        process = subprocess.Popen(  # noqa: S603 - fixed interpreter and arguments
            [sys.executable, "manage.py", "worker", "--interval", "0.5", "--poll", "0.1"],
            cwd=PROJECT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
