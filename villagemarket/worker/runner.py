"""ResilientWorker: django-tasks-db's worker, made to survive its database going away.

Upstream, a task that loses the database connection is recorded as failed on that same dead
connection; the record fails, the exception escapes the worker loop, the process exits and the
task stays RUNNING forever. Here:

- the task's outcome is written on a fresh connection, retried with backoff until the database
  answers again (or the worker is asked to stop; then orphan recovery handles the row);
- a task that failed *because* the connection was lost is re-queued (it will run again; our
  tasks are idempotent) until it has been claimed WORKER_TASK_MAX_ATTEMPTS times, then failed;
- any other task error is recorded as failed, as upstream does;
- a lost connection while claiming a task (or while idle) is logged, the connection dropped,
  and the loop starts again after a backoff: the worker process does not exit;
- every outcome is written with a guarded UPDATE (still RUNNING under our claim), so a task that
  orphan recovery has re-queued meanwhile is not overwritten.
"""

from __future__ import annotations

import logging
import time
from traceback import format_exception

from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
)
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 30.0


class ConnectionLost(Exception):
    """Recorded on a task that lost its database connection more often than allowed."""


def lost_connection(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) is a database error that left a connection unusable."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (OperationalError, InterfaceError)):
            return any(not _usable(conn) for conn in connections.all(initialized_only=True))
        exc = exc.__cause__ or exc.__context__
    return False


def _usable(conn) -> bool:
    # Called right after a database error: no connection (closed by the failed rollback, or the
    # connect itself failed) means the server is out of reach.
    try:
        return conn.connection is not None and conn.is_usable()
    except Exception:
        return False


def drop_broken_connections() -> None:
    """Close this thread's connections that errored and no longer answer (the next query
    reconnects)."""
    try:
        close_old_connections()
    except Exception:  # closing a dead socket may itself complain
        for conn in connections.all(initialized_only=True):
            try:
                conn.close()
            except Exception:
                conn.connection = None


class ResilientWorker(Worker):
    current_task_id = None

    def run(self) -> None:
        backoff = 0.5
        while True:
            started = time.monotonic()
            try:
                return super().run()
            except DatabaseError as exc:
                if not lost_connection(exc):
                    raise  # a missing table or a bad query: retrying cannot help
                if not self.running:
                    return None
                if time.monotonic() - started > MAX_BACKOFF_SECONDS:
                    backoff = 0.5  # it ran fine for a while: this is a new outage
                logger.warning("database unavailable (%s); reconnecting in %.1f s", exc, backoff)
                drop_broken_connections()
                time.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.running_task = True
        self.current_task_id = db_task_result.pk
        interrupted = None
        try:
            value, error = self._call(db_task_result)
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                interrupted = error
            self._finish(db_task_result, value, error)
        finally:
            self.running_task = False
            self.current_task_id = None
            self._run_tasks += 1
        if interrupted is not None:
            raise interrupted

    def _call(self, db_task_result: DBTaskResult):
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            task_started.send(sender=type(task.get_backend()), task_result=task_result)
            args, kwargs = task_result.args, task_result.kwargs
            if task.takes_context:
                return task.call(TaskContext(task_result=task_result), *args, **kwargs), None
            return task.call(*args, **kwargs), None
        except BaseException as exc:  # recorded on the task, like upstream
            return None, exc

    def _finish(self, db_task_result: DBTaskResult, value, error: BaseException | None) -> None:
        drop_broken_connections()
        if error is not None and lost_connection(error):
            drop_broken_connections()
            if len(db_task_result.worker_ids) < settings.WORKER_TASK_MAX_ATTEMPTS:
                logger.warning("task %s lost its database connection; re-queued", db_task_result.pk)
                self._record(db_task_result, status=TaskResultStatus.READY, started_at=None)
                return
            lost = ConnectionLost(
                f"lost the database connection {len(db_task_result.worker_ids)} times"
            )
            lost.__cause__, error = error, lost
        if error is None:
            try:
                self._record(
                    db_task_result,
                    status=TaskResultStatus.SUCCESSFUL,
                    finished_at=timezone.now(),
                    return_value=value,
                    exception_class_path="",
                    traceback="",
                )
            except (TypeError, ValueError, DatabaseError) as exc:  # e.g. a value JSON cannot hold
                error = exc
            else:
                self._announce(db_task_result)
                return
        self._record(
            db_task_result,
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            return_value=None,
            exception_class_path=f"{type(error).__module__}.{type(error).__qualname__}",
            traceback="".join(format_exception(error)),
        )
        self._announce(db_task_result)

    def _record(self, db_task_result: DBTaskResult, **fields) -> bool:
        """Write the outcome if the task is still ours; retry until the database answers."""
        claim = DBTaskResult.objects.filter(
            pk=db_task_result.pk,
            status=TaskResultStatus.RUNNING,
            started_at=db_task_result.started_at,
        )
        backoff, tries = 0.5, 0
        while True:
            try:
                updated = claim.update(**fields)
                break
            except DatabaseError as exc:
                if not lost_connection(exc):
                    raise
                tries += 1
                if not self.running and tries >= 3:
                    logger.error("giving up recording task %s: %s", db_task_result.pk, exc)
                    return False  # orphan recovery re-queues it after the timeout
                logger.warning("could not record task %s (%s); retrying", db_task_result.pk, exc)
                drop_broken_connections()
                time.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
        for name, field_value in fields.items():
            setattr(db_task_result, name, field_value)
        if not updated:
            logger.warning("task %s was recovered by another worker meanwhile", db_task_result.pk)
        return bool(updated)

    def _announce(self, db_task_result: DBTaskResult) -> None:
        try:
            task_finished.send(
                sender=type(db_task_result.task.get_backend()),
                task_result=db_task_result.task_result,
            )
        except Exception:  # only logging listens; never lose the worker to it
            logger.exception("task_finished listeners failed for %s", db_task_result.pk)
