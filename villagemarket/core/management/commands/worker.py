"""`villagemarket worker`: runs queued tasks (django-tasks database backend) and enqueues the
sweeps.

A small scheduler thread enqueues each periodic task every `--interval` seconds; the database
backend hands each queued task to exactly one worker, and the sweeps themselves are idempotent,
so running several workers (each with its scheduler) is safe: extra runs find nothing to do.
"""

from __future__ import annotations

import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

logger = logging.getLogger(__name__)


def periodic_tasks() -> list:
    """Every `PERIODIC` list declared in a marketplace app's tasks.py (orders' sweeps, payments'
    notification retries, ...), so a new slice adds its sweeps without touching the worker."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    found: list = []
    for config in apps.get_app_configs():
        if not config.name.startswith("villagemarket."):
            continue
        module_name = f"{config.name}.tasks"
        if find_spec(module_name) is None:
            continue
        found.extend(getattr(import_module(module_name), "PERIODIC", []))
    return found


def enqueue_periodic() -> int:
    """Enqueue one run of every periodic task; returns how many were enqueued."""
    count = 0
    for periodic in periodic_tasks():
        try:
            periodic.enqueue()
            count += 1
        except Exception:  # a failing enqueue must not kill the scheduler; the next tick retries
            logger.exception("could not enqueue %s", periodic)
    close_old_connections()
    return count


def schedule(stop: threading.Event, interval: float) -> None:
    while not stop.is_set():
        enqueue_periodic()
        stop.wait(interval)


class Command(BaseCommand):
    help = "Run background tasks and periodic sweeps."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=60.0, help="seconds between sweeps (default 60)"
        )
        parser.add_argument("--no-scheduler", action="store_true", help="only run queued tasks")
        parser.add_argument(
            "--once",
            action="store_true",
            help="enqueue the sweeps once, run all queued tasks, exit",
        )

    def handle(self, *args, **options):
        if options["once"]:
            enqueue_periodic()
            call_command("db_worker", "--batch", "--no-startup-delay")
            return
        stop = threading.Event()
        if not options["no_scheduler"]:
            threading.Thread(target=schedule, args=(stop, options["interval"]), daemon=True).start()
        try:
            call_command("db_worker")
        finally:
            stop.set()
