"""`villagemarket observatory import|compute|remove-import|export`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from villagemarket.core.errors import DomainError


class Command(BaseCommand):
    help = "Taobao village observatory: import statistics, compute, remove an import, export."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a statistics CSV")
        imp.add_argument("file")
        imp.add_argument("--source", required=True)
        comp = sub.add_parser("compute", help="recompute one year (or several)")
        comp.add_argument("--year", type=int, action="append", required=True)
        comp.add_argument(
            "--rules", default=None, help="rule set name (default: the one in force that year)"
        )
        comp.add_argument("--no-progress", action="store_true")
        rem = sub.add_parser("remove-import", help="remove a source's import (one year or all)")
        rem.add_argument("--source", required=True)
        rem.add_argument("--year", type=int, default=None)
        exp = sub.add_parser("export", help="export a table as CSV or XLSX")
        exp.add_argument("table")
        exp.add_argument("--year", type=int, default=None)
        exp.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        exp.add_argument("--output", required=True)
        exp.add_argument("--staff", action="store_true", help="include shop-level columns")

    def handle(self, *args, action, **options):
        try:
            getattr(self, "do_" + action.replace("-", "_"))(**options)
        except DomainError as exc:
            details = "; ".join(f"{k}: {', '.join(map(str, v))}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message} {details}".strip()) from exc

    def do_import(self, *, file, source, **_):
        from villagemarket.observatory.services.statistics_import import import_statistics

        path = Path(file)
        if not path.exists():
            raise CommandError(f"{file}: no such file")
        batches = import_statistics(
            text=path.read_text(encoding="utf-8-sig"), source=source, file_name=path.name
        )
        for b in batches:
            self.stdout.write(f"imported {b.rows} rows for {b.source} {b.year}")

    def do_compute(self, *, year, rules, no_progress, **_):
        from villagemarket.observatory.services.designations import compute_year

        for y in year:
            result = compute_year(y, rules) if no_progress else self._with_progress(y, rules)
            self.stdout.write(
                f"{result.year} ({result.rule_set}): {result.villages} villages, "
                f"{result.taobao_villages} Taobao villages, {result.towns} towns, "
                f"{result.clusters} clusters"
            )

    def _with_progress(self, year, rules):
        from rich.progress import Progress

        from villagemarket.observatory.services.designations import compute_year

        with Progress(transient=True) as bar:
            tasks: dict[str, int] = {}

            def report(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(f"{year} {stage}", total=max(total, 1))
                bar.update(tasks[stage], completed=done, total=max(total, 1))

            return compute_year(year, rules, progress=report)

    def do_remove_import(self, *, source, year, **_):
        from villagemarket.observatory.services.statistics_import import remove_import

        n = remove_import(source=source, year=year)
        self.stdout.write(f"removed {n} import(s) of {source}")

    def do_export(self, *, table, year, format, output, staff, **_):
        from villagemarket.observatory.exports import export_table

        data, _content_type = export_table(table, year=year, fmt=format, staff=staff)
        Path(output).write_bytes(data)
        self.stdout.write(f"wrote {output}")
