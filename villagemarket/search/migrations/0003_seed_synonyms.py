"""Seed the synonym groups (operators edit them in the admin afterwards)."""

from django.db import migrations

from villagemarket.search.synonyms import SEED


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    if not Synonym.objects.exists():
        Synonym.objects.bulk_create(Synonym(words=w, note=n) for w, n in SEED)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_backend_index")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
