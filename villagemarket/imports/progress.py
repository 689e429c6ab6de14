"""Progress of a running import, visible to the job page while the job's transaction is open.

Checking happens outside any transaction, so its counter is a plain committed UPDATE. Saving
happens in one transaction (all or nothing), whose own writes nobody else sees until it
commits; on PostgreSQL the counter is therefore written through a second, autocommit
connection. SQLite has one writer at a time: the open transaction holds the write lock, so a
second connection could only wait for it. There the page shows the saving step without a count
until it ends (docs/imports.md).
"""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError, connection
from django.db.utils import load_backend

from .models import ImportJob

logger = logging.getLogger(__name__)

EVERY_SECONDS = 0.5


class Progress:
    def __init__(self, job_id: int):
        self.job_id = job_id
        self._side = None
        self._last = 0.0
        # Inside an outer transaction (an inline import) nobody else can see the job yet.
        self.enabled = not connection.in_atomic_block
        self.can_show_writes = self.enabled and connection.vendor == "postgresql"

    def _due(self, final: bool) -> bool:
        now = time.monotonic()
        if final or now - self._last >= EVERY_SECONDS:
            self._last = now
            return True
        return False

    def checked(self, rows: int, *, final: bool = False) -> None:
        if self.enabled and self._due(final):
            ImportJob.objects.filter(pk=self.job_id).update(rows_checked=rows)

    def written(self, rows: int, *, final: bool = False) -> None:
        if not self.can_show_writes or not self._due(final):
            return
        try:
            with self._connection().cursor() as cursor:
                cursor.execute(  # the table name is ours, not input
                    f"UPDATE {ImportJob._meta.db_table} SET rows_written = %s WHERE id = %s",  # noqa: S608
                    [rows, self.job_id],
                )
        except DatabaseError:  # progress is a courtesy: never let it break the import
            logger.warning("import %s: could not record progress", self.job_id, exc_info=True)
            self.can_show_writes = False

    def _connection(self):
        if self._side is None:
            backend = load_backend(connection.settings_dict["ENGINE"])
            self._side = backend.DatabaseWrapper(dict(connection.settings_dict), alias="progress")
            self._side.ensure_connection()
            with self._side.cursor() as cursor:  # never wait on a lock for a progress bar
                cursor.execute("SET lock_timeout = '1s'")
        return self._side

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
