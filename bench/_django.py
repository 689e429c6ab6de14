"""What the in-process benchmarks share: a fresh database and Django set up on it.

`setup(database_url, name, **env)`: with a PostgreSQL URL the database it names is dropped and
made again; without one a temporary SQLite file (in a new VM_VAR_DIR) is used. `env` sets more
environment variables before Django starts (e.g. `REDIS_URL=""`, `ALLOWED_HOSTS="testserver"`).
The caller migrates (some benchmarks want to time it)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup(database_url: str | None, name: str, **env: str) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
        import psycopg

        base, db_name = database_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}"')
            conn.execute(f'CREATE DATABASE "{db_name}"')
    else:
        os.environ["VM_VAR_DIR"] = tempfile.mkdtemp(prefix=f"vm-bench-{name}-")
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villagemarket.config.settings")
    import django

    django.setup()
