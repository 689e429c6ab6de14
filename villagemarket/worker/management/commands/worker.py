"""`villagemarket worker`: runs queued tasks (django-tasks database backend) and the sweeps.

A scheduler thread enqueues each periodic task every `--interval` seconds and recovers tasks
orphaned by a killed worker; the main thread runs tasks with ResilientWorker, which survives a
lost database connection. Several workers at once are safe: the database hands each queued task
to one worker and the sweeps are idempotent. See villagemarket/worker/.
"""

from __future__ import annotations

import logging
import threading

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME

from villagemarket.worker.runner import ResilientWorker
from villagemarket.worker.schedule import enqueue_periodic, run_scheduler


def make_worker(*, batch: bool, poll: float = 1.0) -> ResilientWorker:
    return ResilientWorker(
        queue_names=[DEFAULT_TASK_QUEUE_NAME],
        interval=poll,
        batch=batch,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=not batch,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )


class Command(BaseCommand):
    help = "Run background tasks and periodic sweeps."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=60.0, help="seconds between sweeps (default 60)"
        )
        parser.add_argument(
            "--poll", type=float, default=1.0, help="seconds between queue checks when idle"
        )
        parser.add_argument("--no-scheduler", action="store_true", help="only run queued tasks")
        parser.add_argument(
            "--once",
            action="store_true",
            help="enqueue the sweeps once, run all queued tasks, exit",
        )

    def handle(self, *args, **options):
        # One line per task only when asked (-v 2); otherwise warnings and errors only (DEBUG's
        # console logging would print every task and drown the demo's output).
        level = logging.INFO if options["verbosity"] >= 2 else logging.WARNING
        for name in ("django.tasks", "django_tasks_db", "villagemarket.worker"):
            logging.getLogger(name).setLevel(level)
        if options["once"]:
            enqueue_periodic()
            make_worker(batch=True).run()
            return
        worker = make_worker(batch=False, poll=options["poll"])
        stop = threading.Event()
        if not options["no_scheduler"]:
            threading.Thread(
                target=run_scheduler,
                args=(stop, options["interval"], lambda: worker.current_task_id),
                daemon=True,
                name="vm-scheduler",
            ).start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
