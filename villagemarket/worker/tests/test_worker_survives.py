"""The worker survives its database: a real `villagemarket worker` process on PostgreSQL, its
backends terminated mid-task, or the process itself SIGKILLed mid-task. Afterwards the queue is
drained: every task finished exactly once (or failed visibly), and in the first case the very
same worker process is still alive and still running the sweeps."""

from __future__ import annotations

import signal
import time

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from villagemarket.testing.workers import (
    subprocess_database_url,
    terminate_worker_backends,
    worker_processes,
)
from villagemarket.worker.schedule import periodic_tasks

from .probe_tasks import PROBE_TABLE, probe

FINISHED = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue(settings):
    """Tasks go to the database queue (not the tests' immediate backend); a table counts runs."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {PROBE_TABLE} (token text PRIMARY KEY, runs int NOT NULL)")
    yield
    terminate_worker_backends()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {PROBE_TABLE}")


@pytest.fixture
def workers(tmp_path):
    """Start `manage.py worker` processes on the test database; all are stopped afterwards."""
    with worker_processes(tmp_path, subprocess_database_url()) as start:
        yield start


def wait_for(condition, timeout: float = 60, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def probe_rows():
    return DBTaskResult.objects.filter(task_path=probe.module_path)


def runs() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, runs FROM {PROBE_TABLE}")  # noqa: S608 - fixed name
        return dict(cursor.fetchall())


def drained() -> bool:
    return not probe_rows().exclude(status__in=FINISHED).exists()


def test_terminated_backends_mid_task_retry_the_task_and_the_worker_goes_on(queue, workers):
    tokens = [f"t{i}" for i in range(6)]
    for token in tokens:
        probe.enqueue(token, 1.0)
    worker = workers()

    # when: the database drops every connection of the worker while a task's query runs
    running = wait_for(
        lambda: probe_rows().filter(status=TaskResultStatus.RUNNING).first(), what="a task"
    )
    time.sleep(0.3)
    dropped_at = timezone.now()
    assert terminate_worker_backends() >= 1
    # and again once that task is done, wherever the worker then is
    wait_for(
        lambda: probe_rows().filter(pk=running.pk, status=TaskResultStatus.SUCCESSFUL).exists(),
        what="the interrupted task to run again",
    )
    time.sleep(0.3)
    terminate_worker_backends()

    # then: every task ran exactly once, the interrupted one on a second claim
    wait_for(drained, what="the queue to drain")
    assert set(probe_rows().values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    assert runs() == dict.fromkeys(tokens, 1)
    running.refresh_from_db()
    assert len(running.worker_ids) == 2
    # the same process is alive, and its sweeps still run after the outage
    sweeps = [p.module_path for p in periodic_tasks()]
    wait_for(
        lambda: DBTaskResult.objects.filter(
            task_path__in=sweeps,
            status=TaskResultStatus.SUCCESSFUL,
            enqueued_at__gt=dropped_at + timezone.timedelta(seconds=1),
        ).exists(),
        what="a sweep after the outage",
    )
    assert worker.poll() is None
    new_work = probe.enqueue("after", 0)
    wait_for(
        lambda: DBTaskResult.objects.get(pk=new_work.id).status == TaskResultStatus.SUCCESSFUL,
        what="a task queued after the outage",
    )
    assert runs()["after"] == 1


def test_a_task_orphaned_by_a_killed_worker_is_recovered_by_another(queue, workers):
    fast = {"WORKER_ORPHAN_TIMEOUT_SECONDS": "2"}
    stalled = probe.enqueue("stalled", 0.1, stall_first=True)
    for token in ("a", "b", "c"):
        probe.enqueue(token, 0.1)
    first = workers(**fast)
    wait_for(
        lambda: probe_rows().filter(pk=stalled.id, status=TaskResultStatus.RUNNING).exists(),
        what="the first task to start",
    )
    time.sleep(0.3)

    # when: the worker is killed mid-task (its server session goes too)
    first.send_signal(signal.SIGKILL)
    first.wait()
    terminate_worker_backends()
    assert DBTaskResult.objects.get(pk=stalled.id).status == TaskResultStatus.RUNNING
    second = workers(**fast)

    # then: after the timeout the orphan is re-queued and every task ran exactly once
    wait_for(drained, what="the queue to drain")
    assert set(probe_rows().values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    assert runs() == {"stalled": 1, "a": 1, "b": 1, "c": 1}
    assert len(DBTaskResult.objects.get(pk=stalled.id).worker_ids) == 2
    assert second.poll() is None
