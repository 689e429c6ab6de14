"""`villagemarket docs_map`: rewrite the generated part of docs/map.md from the code."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from villagemarket.web import docs_map


class Command(BaseCommand):
    help = (
        "Rewrite the generated part of docs/map.md (use-cases, pages, API endpoints) from the "
        "code. --check only says whether it is up to date."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Change nothing; fail if docs/map.md is stale."
        )

    def handle(self, *args, check=False, **options):
        current = docs_map.DOC.read_text(encoding="utf-8")
        wanted = docs_map.updated(current)
        if check:
            if current != wanted:
                raise CommandError(f"{docs_map.DOC} is stale: run `villagemarket docs_map`.")
            self.stdout.write("docs/map.md is up to date.")
            return
        if current == wanted:
            self.stdout.write("docs/map.md is already up to date.")
            return
        docs_map.DOC.write_text(wanted, encoding="utf-8")
        self.stdout.write(
            f"docs/map.md rewritten: {len(docs_map.use_cases())} use-cases, "
            f"{len(docs_map.pages())} pages, {len(docs_map.endpoints())} API endpoints."
        )
