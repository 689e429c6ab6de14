"""The ranking's rating input on the search document (search/ranking.py: rating).

Added with plain SQL, as 0005 added ships_free: on SQLite Django would rebuild the table and the
rebuild drops the triggers that keep the FTS5 index in step. Existing documents say 0 (no
reviews) until their products change or `villagemarket search reindex` runs."""

from django.db import migrations, models

ADD = {
    "sqlite": "ALTER TABLE search_searchdocument ADD COLUMN rating real NOT NULL DEFAULT 0",
    "postgresql": "ALTER TABLE search_searchdocument "
    "ADD COLUMN rating double precision NOT NULL DEFAULT 0",
}
DROP = "ALTER TABLE search_searchdocument DROP COLUMN rating"


def add_column(apps, schema_editor):
    schema_editor.execute(ADD[schema_editor.connection.vendor])


def drop_column(apps, schema_editor):
    schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0007_narrow_rows_for_ranking")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="searchdocument",
                    name="rating",
                    field=models.FloatField(default=0.0, verbose_name="rating"),
                )
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        )
    ]
