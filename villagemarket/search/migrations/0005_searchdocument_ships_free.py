"""Free shipping on the search document (search/freight.py decides it at indexing).

The column is added with plain SQL: on SQLite Django would rebuild the table to add a NOT NULL
column with a default, and the rebuild drops the triggers that keep the FTS5 index in step.
Existing documents say False until `villagemarket search reindex` runs (docs/search.md)."""

from django.db import migrations, models

ADD = {
    "sqlite": "ALTER TABLE search_searchdocument ADD COLUMN ships_free bool NOT NULL DEFAULT 0",
    "postgresql": "ALTER TABLE search_searchdocument "
    "ADD COLUMN ships_free boolean NOT NULL DEFAULT false",
}
DROP = "ALTER TABLE search_searchdocument DROP COLUMN ships_free"


def add_column(apps, schema_editor):
    schema_editor.execute(ADD[schema_editor.connection.vendor])


def drop_column(apps, schema_editor):
    schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_labels_translated")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="searchdocument",
                    name="ships_free",
                    field=models.BooleanField(default=False, verbose_name="free shipping"),
                )
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        )
    ]
