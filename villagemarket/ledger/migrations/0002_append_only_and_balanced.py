"""The database itself keeps the ledger append-only, and (on PostgreSQL) balanced at commit.

UPDATE and DELETE on ledger transactions and entries raise, whoever sends them (the ORM, the
admin, a psql session). A correction is a new reversing transaction. PostgreSQL also checks,
when a transaction commits, that every ledger transaction it inserted entries for sums to zero
per currency (a deferred constraint trigger); SQLite has no deferred triggers, so there the
service's check before insert and ledger.invariants stand alone.
"""

from django.db import migrations

TABLES = ["ledger_entry", "ledger_ledgertransaction"]

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table}
    BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only: post a reversing transaction');
    END;
    """
    for table in TABLES
    for action in ("UPDATE", "DELETE")
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {table}_no_{action.lower()};"
    for table in TABLES
    for action in ("UPDATE", "DELETE")
]

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ledger rows are append-only: post a reversing transaction (% on %)',
            TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
    END $$;
    """,
    *[
        f"""
        CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
        """
        for table in TABLES
    ],
    """
    CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE off RECORD;
    BEGIN
        SELECT currency, SUM(amount_minor) AS total INTO off FROM ledger_entry
         WHERE transaction_id = NEW.transaction_id
         GROUP BY currency HAVING SUM(amount_minor) <> 0 LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'ledger transaction % does not balance: % %',
                NEW.transaction_id, off.total, off.currency
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
    END $$;
    """,
    """
    CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS ledger_entry_balanced ON ledger_entry;",
    *[f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};" for table in TABLES],
    "DROP FUNCTION IF EXISTS ledger_check_balanced();",
    "DROP FUNCTION IF EXISTS ledger_refuse_change();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        # The cursor, not schema_editor.execute: no parameters, so PL/pgSQL's % stays literal.
        with schema_editor.connection.cursor() as cursor:
            for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
                cursor.execute(statement)

    return run


forwards = _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})
backwards = _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
