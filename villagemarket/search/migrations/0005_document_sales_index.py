"""Documents in best-selling order (sales, then id, both descending): suggestions read the first
matches in that order, so the database walks this index and stops at the first few instead of
sorting every match (a one-letter prefix matches most of the catalog; bench/search.py measured
~1.2 s per suggestion on 100,000 products without it). Plain SQL on both databases, like
0002: an index the ORM need not know about."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS search_document_sales "
    "ON search_searchdocument (sales DESC, product_id DESC)"
)
DROP = "DROP INDEX IF EXISTS search_document_sales"


class Migration(migrations.Migration):
    dependencies = [("search", "0004_labels_translated")]

    operations = [migrations.RunSQL(CREATE, DROP)]
