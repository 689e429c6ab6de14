"""PostgreSQL: what ranking reads per matching document, kept small and in the row.

Ranking (search/pg.py) checks each query word against each field of every matching document. A
document row held its three token texts and the weighted tsvector (~2.6 KB: three rows a page),
so a word found in 13,000 documents read ~4,000 pages per query. Now:
- per-field tsvectors without positions (`strip`: ranking needs only "is the token there"),
  generated from the token texts; `title_vector` (~230 bytes) stays in the row (storage MAIN):
  most matching documents hold the query's words in their title, and then ranking reads
  nothing else (search/pg.py);
- the large columns (the token texts, `body_vector`, `place_vector` (~550 bytes: every level
  of the origin's names with pinyin), the weighted `document` that only the GIN index and
  suggestions use) go out of line (TOAST, uncompressed), and rows are toasted from 256 bytes
  on: ~17 documents a page instead of 3. Measured on 100,000 products (bench/search.py): all
  inline, 22,500 pages and up to 0.5 s of PostgreSQL CPU for a sentence query; this way 5,700.
The GIN index still finds the documents (its answer needs no recheck for a query without
weights, so the out-of-line `document` is not read for matching).
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE search_searchdocument "
    "ADD COLUMN title_vector tsvector GENERATED ALWAYS AS "
    "(strip(to_tsvector('simple'::regconfig, title))) STORED, "
    "ADD COLUMN body_vector tsvector GENERATED ALWAYS AS "
    "(strip(to_tsvector('simple'::regconfig, body))) STORED, "
    "ADD COLUMN place_vector tsvector GENERATED ALWAYS AS "
    "(strip(to_tsvector('simple'::regconfig, place))) STORED",
    "ALTER TABLE search_searchdocument "
    "ALTER COLUMN title SET STORAGE EXTERNAL, ALTER COLUMN body SET STORAGE EXTERNAL, "
    "ALTER COLUMN place SET STORAGE EXTERNAL, ALTER COLUMN document SET STORAGE EXTERNAL, "
    "ALTER COLUMN body_vector SET STORAGE EXTERNAL",
    "ALTER TABLE search_searchdocument SET (toast_tuple_target = 256)",
]
BACKWARD = [
    "ALTER TABLE search_searchdocument RESET (toast_tuple_target)",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS title_vector, "
    "DROP COLUMN IF EXISTS body_vector, DROP COLUMN IF EXISTS place_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0006_merge_ships_free_and_sales_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
