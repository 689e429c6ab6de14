"""Search speed on PostgreSQL (docs/search.md, "Speed"):

- `title_vector` really stays in the row. Migration 0007 meant it to, but left it EXTENDED with
  `toast_tuple_target = 256`: a ~450-byte row was over the target, so PostgreSQL moved the
  title vector out of line too, and ranking read it from TOAST (2-4 buffer reads) for every
  `@@` of every matching document: ~10 ms per 1,000 documents. Now it is MAIN and the target
  600 bytes, so the large columns still go out of line and the title vector stays. Existing rows
  keep their layout until rewritten: `villagemarket search reindex` (or VACUUM FULL) after
  upgrading.
- `ShopPlace`: the place tokens of each shop (the same for all its products), with a generated
  tsvector and a GIN index on PostgreSQL, so ranking scores a query's place words once per
  shop. Filled here from the documents already indexed; the indexer keeps it after that.
- Matching uses a GIN index on the text (`title_vector || body_vector`, no places) and the
  shops' places, instead of the weighted `document` of 0002 (title, body and places): a place
  word in `document` matched every product of a county (金乡: 10,000 products, to be scored or
  sorted). `document` and its index go (nothing else read them).
"""

from django.db import migrations, models

FORWARD = [
    "ALTER TABLE search_searchdocument ALTER COLUMN title_vector SET STORAGE MAIN",
    "ALTER TABLE search_searchdocument SET (toast_tuple_target = 600)",
    "ALTER TABLE search_shopplace ADD COLUMN place_vector tsvector GENERATED ALWAYS AS "
    "(strip(to_tsvector('simple'::regconfig, place))) STORED",
    "CREATE INDEX search_shopplace_gin ON search_shopplace USING gin (place_vector)",
    "CREATE INDEX search_text_gin ON search_searchdocument "
    "USING gin ((title_vector || body_vector))",
    "DROP INDEX IF EXISTS search_document_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS document",
]
BACKWARD = [
    "ALTER TABLE search_searchdocument ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, body), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, place), 'C')) STORED",
    "ALTER TABLE search_searchdocument ALTER COLUMN document SET STORAGE EXTERNAL",
    "CREATE INDEX search_document_gin ON search_searchdocument USING gin (document)",
    "DROP INDEX IF EXISTS search_text_gin",
    "DROP INDEX IF EXISTS search_shopplace_gin",
    "ALTER TABLE search_shopplace DROP COLUMN IF EXISTS place_vector",
    "ALTER TABLE search_searchdocument SET (toast_tuple_target = 256)",
    "ALTER TABLE search_searchdocument ALTER COLUMN title_vector SET STORAGE EXTENDED",
]
# One row per shop from the documents already indexed (every document of a shop has the same
# place); max() picks one where a shop changed and its documents are being rewritten.
FILL = (
    "INSERT INTO search_shopplace (shop_id, place) "
    "SELECT shop_id, max(place) FROM search_searchdocument GROUP BY shop_id"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)
    schema_editor.execute(FILL)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0008_document_rating")]

    operations = [
        migrations.CreateModel(
            name="ShopPlace",
            fields=[
                (
                    "shop_id",
                    models.BigIntegerField(primary_key=True, serialize=False, verbose_name="shop"),
                ),
                ("place", models.TextField(blank=True, verbose_name="place")),
            ],
            options={"verbose_name": "shop place", "verbose_name_plural": "shop places"},
        ),
        migrations.RunPython(forward, backward),
    ]
