"""Lets transactional tests on SQLite end although the ledger is append-only.

A `django_db(transaction=True)` test ends by flushing every table. PostgreSQL flushes with
TRUNCATE, which row triggers do not see; SQLite flushes with DELETE, which the ledger's
append-only triggers refuse. So after such a test on SQLite this fixture drops the triggers,
empties the ledger tables and creates the triggers again, before the flush runs.
"""

from __future__ import annotations

import importlib

import pytest

APPEND_ONLY = "villagemarket.ledger.migrations.0002_append_only_and_balanced"
LEDGER_TABLES = [
    "ledger_entry",
    "ledger_ledgertransaction",
    "ledger_account",
    "ledger_categorycommission",
]


@pytest.fixture(autouse=True)
def _ledger_emptied_before_flush(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        yield
        return
    # Requested here so that this fixture's teardown runs before the database's flush.
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    triggers = importlib.import_module(APPEND_ONLY)
    with connection.cursor() as cursor:
        for statement in triggers.SQLITE_BACKWARD:
            cursor.execute(statement)
        for table in LEDGER_TABLES:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        for statement in triggers.SQLITE_FORWARD:
            cursor.execute(statement)
