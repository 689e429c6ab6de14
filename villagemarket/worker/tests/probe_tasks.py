"""Tasks the worker tests enqueue: each records its run in a plain table (made by the test)."""

from __future__ import annotations

from django.db import connection
from django.tasks import task

PROBE_TABLE = "worker_test_probe"


@task(takes_context=True)
def probe(context, token: str, seconds: float, stall_first: bool = False) -> str:
    """Sleep on the database (a query in flight when the backend is killed), then count a run.

    `stall_first`: the first attempt sleeps long, so a test can kill the worker in the middle."""
    if stall_first and context.task_result.attempts <= 1:
        seconds = 60
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [seconds])
        cursor.execute(
            f"INSERT INTO {PROBE_TABLE} (token, runs) VALUES (%s, 1)"  # noqa: S608 - fixed name
            f" ON CONFLICT (token) DO UPDATE SET runs = {PROBE_TABLE}.runs + 1",
            [token],
        )
    return token
