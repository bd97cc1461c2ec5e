"""Database-level refusal of UPDATE, DELETE and TRUNCATE on the ledger tables.

The application never changes a ledger row, but the guarantee must hold for any code and any
SQL client, so the database enforces it: row triggers for UPDATE and DELETE, and on PostgreSQL
a statement trigger for TRUNCATE, which skips row triggers. A superuser can still drop or
disable triggers; that is what the checkpoints kept outside the database and ``ledger audit``
are for.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

LEDGER_TABLES = ("provenance_ledgerentry", "provenance_merklenode", "provenance_checkpoint")

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION memorial_ledger_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger table % is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END $$;
"""


def create_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        statements = [_PG_FUNCTION]
        for table in LEDGER_TABLES:
            statements += [
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION memorial_ledger_refuse_change();",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION memorial_ledger_refuse_change();",
            ]
        return statements
    if vendor == "sqlite":
        # SQLite has no TRUNCATE; a DELETE trigger also disables its truncate optimisation.
        return [
            f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} BEGIN "
            f"SELECT RAISE(ABORT, 'ledger table {table} is append-only: {op} refused'); END;"
            for table in LEDGER_TABLES
            for op in ("UPDATE", "DELETE")
        ]
    raise NotImplementedError(f"append-only triggers are not written for {vendor}")


def drop_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        statements = [
            f"DROP TRIGGER IF EXISTS {table}_{suffix} ON {table};"
            for table in LEDGER_TABLES
            for suffix in ("no_change", "no_truncate")
        ]
        return [*statements, "DROP FUNCTION IF EXISTS memorial_ledger_refuse_change();"]
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_{op}"
        for table in LEDGER_TABLES
        for op in ("update", "delete")
    ]


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in create_sql(connection.vendor):
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in drop_sql(connection.vendor):
            cursor.execute(statement)
