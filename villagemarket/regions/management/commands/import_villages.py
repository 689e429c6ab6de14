"""`manage.py import_villages FILE`: an operator's village CSV; all rows or none."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from villagemarket.regions.services import import_villages
from villagemarket.regions.village_csv import COLUMNS


class Command(BaseCommand):
    help = (
        f"Import villages from a UTF-8 CSV with the header {','.join(COLUMNS)}. "
        "Nothing is imported if any row is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the CSV file")

    def handle(self, *args, **options):
        try:
            with open(options["file"], "rb") as fh:
                result = import_villages(fh)
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from exc
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} error(s); nothing was imported.")
        self.stdout.write(
            self.style.SUCCESS(f"{result.created} created, {result.updated} updated.")
        )
