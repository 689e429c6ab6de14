"""Tasks orphaned by a worker that died mid-task (SIGKILL, a lost machine) are recovered.

django-tasks-db marks a task RUNNING when a worker claims it and finishes it from that same
worker; if the worker dies in between, the row stays RUNNING forever. Here a RUNNING task whose
last claim is older than WORKER_ORPHAN_TIMEOUT_SECONDS is presumed orphaned: it goes back to the
queue (READY) while it has been claimed fewer than WORKER_TASK_MAX_ATTEMPTS times, else it is
marked FAILED with `OrphanedTask` (visible in the admin's task list). Our tasks are idempotent
(deliveries check `delivered_at`, sweeps claim rows with guarded updates), so a second run of a
task that did part of its work is safe. The timeout must exceed the longest task: a live task
older than it would be run a second time (our tasks take seconds; the default is 15 minutes).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


class OrphanedTask(Exception):
    """Recorded on a task whose worker stopped while running it, too many times."""


def orphan_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WORKER_ORPHAN_TIMEOUT_SECONDS)


def recover_orphaned_tasks(*, exclude=None, now=None) -> dict[str, int]:
    """Re-queue or fail the RUNNING tasks claimed longer ago than the timeout.

    `exclude`: the id of a task this very process is running (its worker is alive). Rows are
    locked with SKIP LOCKED and updated only if still RUNNING under the same claim, so two
    workers recovering at once act once per task.
    """
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    with transaction.atomic():
        stale = (
            DBTaskResult.objects.running()
            .filter(started_at__lt=now - orphan_timeout())
            .select_for_update(skip_locked=True)
            .order_by("started_at")
        )
        if exclude is not None:
            stale = stale.exclude(pk=exclude)
        for row in stale[:100]:
            claimed = DBTaskResult.objects.filter(
                pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
            )
            if len(row.worker_ids) < settings.WORKER_TASK_MAX_ATTEMPTS:
                counts["requeued"] += claimed.update(status=TaskResultStatus.READY, started_at=None)
                logger.warning("re-queued task %s (%s): its worker stopped", row.pk, row.task_path)
            else:
                counts["failed"] += claimed.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    return_value=None,
                    exception_class_path=f"{OrphanedTask.__module__}.{OrphanedTask.__qualname__}",
                    traceback=(
                        f"OrphanedTask: the worker running this task stopped {len(row.worker_ids)}"
                        f" times (workers {', '.join(row.worker_ids)}); not retried again."
                    ),
                )
                logger.error("task %s (%s) failed: orphaned too often", row.pk, row.task_path)
    return counts
