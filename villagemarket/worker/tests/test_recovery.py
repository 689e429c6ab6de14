"""Orphan recovery on its own (SQLite and PostgreSQL): which RUNNING tasks go back to the queue,
which fail visibly, which are left alone."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from villagemarket.worker.recovery import recover_orphaned_tasks

from .probe_tasks import probe

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WORKER_ORPHAN_TIMEOUT_SECONDS = 60
    settings.WORKER_TASK_MAX_ATTEMPTS = 3


def running_task(*, started_seconds_ago: float, claims: int) -> DBTaskResult:
    result = probe.enqueue("x", 0)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timezone.timedelta(seconds=started_seconds_ago),
        worker_ids=[f"w{i}" for i in range(claims)],
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_an_old_running_task_goes_back_to_the_queue():
    orphan = running_task(started_seconds_ago=120, claims=1)

    assert recover_orphaned_tasks() == {"requeued": 1, "failed": 0}

    orphan.refresh_from_db()
    assert (orphan.status, orphan.started_at) == (TaskResultStatus.READY, None)
    assert DBTaskResult.objects.ready().filter(pk=orphan.pk).exists()


def test_a_task_orphaned_too_often_fails_visibly():
    orphan = running_task(started_seconds_ago=120, claims=3)

    assert recover_orphaned_tasks() == {"requeued": 0, "failed": 1}

    orphan.refresh_from_db()
    assert orphan.status == TaskResultStatus.FAILED and orphan.finished_at is not None
    assert orphan.exception_class_path == "villagemarket.worker.recovery.OrphanedTask"
    assert "stopped 3 times" in orphan.traceback


def test_recent_tasks_and_the_task_this_worker_runs_are_left_alone():
    recent = running_task(started_seconds_ago=5, claims=1)
    mine = running_task(started_seconds_ago=120, claims=1)

    assert recover_orphaned_tasks(exclude=mine.pk) == {"requeued": 0, "failed": 0}

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {TaskResultStatus.RUNNING}
    assert recent.pk != mine.pk
