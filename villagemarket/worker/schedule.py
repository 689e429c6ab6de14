"""The periodic sweeps: every `PERIODIC` list in a marketplace app's tasks.py, enqueued each tick.

The database backend hands each queued task to one worker and the sweeps are idempotent, so
several workers (each with its own scheduler) are safe. A sweep still waiting in the queue is not
enqueued again, so a stalled worker does not pile up copies.
"""

from __future__ import annotations

import logging
import threading
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import close_old_connections
from django.tasks import default_task_backend
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from . import recovery

logger = logging.getLogger(__name__)


def periodic_tasks() -> list:
    """Every `PERIODIC` list declared in a villagemarket app's tasks.py."""
    found: list = []
    for config in apps.get_app_configs():
        if not config.name.startswith("villagemarket."):
            continue
        module_name = f"{config.name}.tasks"
        if find_spec(module_name) is None:
            continue
        found.extend(getattr(import_module(module_name), "PERIODIC", []))
    return found


def _already_queued(periodic) -> bool:
    if not isinstance(default_task_backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.ready().filter(task_path=periodic.module_path).exists()


def enqueue_periodic() -> int:
    """Enqueue one run of every periodic task not already waiting; returns how many."""
    count = 0
    for periodic in periodic_tasks():
        try:
            if not _already_queued(periodic):
                periodic.enqueue()
                count += 1
        except Exception:  # the database may be gone for a moment: the next tick retries
            logger.exception("could not enqueue %s", periodic.module_path)
            close_old_connections()
    close_old_connections()
    return count


def tick(*, running_task_id=None) -> None:
    """One scheduler round: recover orphaned tasks, enqueue the sweeps. Never raises."""
    try:
        recovery.recover_orphaned_tasks(exclude=running_task_id() if running_task_id else None)
    except Exception:
        logger.exception("could not recover orphaned tasks; retrying next tick")
        close_old_connections()
    enqueue_periodic()


def run_scheduler(stop: threading.Event, interval: float, running_task_id=None) -> None:
    """The scheduler thread: a tick every `interval` seconds until `stop` is set."""
    while not stop.is_set():
        tick(running_task_id=running_task_id)
        stop.wait(interval)
