"""Concurrency tests: run calls in real threads released at the same instant by a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connection


def run_together(*calls: Callable[[], Any], timeout: float = 30) -> list[Any]:
    """Start every call in its own thread at the same instant; return, in order, what each
    returned or the exception it raised (the test decides which outcomes are right).

    Each thread uses its own database connection and closes it, so PostgreSQL sees real
    concurrent transactions (SQLite serialises writers: mark such tests postgres_only).
    """
    barrier = threading.Barrier(len(calls), timeout=timeout)
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        close_old_connections()
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each one got
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout * 4)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results
