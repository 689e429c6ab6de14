"""`villagemarket worker`: runs queued tasks (django-tasks database backend)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks and periodic sweeps."

    def handle(self, *args, **options):
        call_command("db_worker")
