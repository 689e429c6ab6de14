"""`villagemarket search reindex`: rebuild the search index (safe while the site serves)."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Search index: `reindex` rebuilds every product's document in batches."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser("reindex", help="rebuild the index of every product")
        reindex.add_argument("--no-progress", action="store_true", help="no progress bar")
        reindex.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="processes analysing batches (2 on a 2-core server: the build is CPU-bound)",
        )

    def handle(self, *args, action, no_progress=False, jobs=1, **options):
        from villagemarket.search.index import reindex

        if no_progress or options.get("verbosity", 1) == 0:
            count = reindex(jobs=max(1, jobs))
        else:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TimeRemainingColumn,
            )

            with Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
            ) as bar:
                task = bar.add_task("indexing products", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                count = reindex(progress, jobs=max(1, jobs))
        if options.get("verbosity", 1):
            self.stdout.write(f"{count} products indexed")
