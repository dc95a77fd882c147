# The audit table refuses UPDATE, DELETE and TRUNCATE in the database itself, not only in the ORM.
#
# PostgreSQL: one statement-level trigger (it fires even when no row matches, and for TRUNCATE). Only the table's
# owner can disable it, and in production the application role does not own its tables (README).
# SQLite: BEFORE UPDATE/DELETE triggers; a DELETE without WHERE is no longer optimised into a truncate either.
# `xingyao flush` (and so the test suite's flush) lifts them for its own transaction: core.audit.append_only_suspended.
# On SQLite a migration that rebuilds the table drops its triggers; test_audit checks they are still there.

from django.db import migrations

POSTGRES_UP = """
CREATE FUNCTION core_auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '审计记录只能追加，不能%', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER core_auditentry_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_append_only();
"""
SQLITE_UP = [
    "CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry "
    "BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改'); END",
    "CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry "
    "BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能删除'); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
]


def _run(schema_editor, postgres, sqlite):
    vendor = schema_editor.connection.vendor
    statements = [postgres] if vendor == "postgresql" else sqlite if vendor == "sqlite" else []
    for statement in statements:
        schema_editor.execute(statement, params=None)  # no placeholders: "%" belongs to RAISE


def create_triggers(apps, schema_editor):
    _run(schema_editor, POSTGRES_UP, SQLITE_UP)


def drop_triggers(apps, schema_editor):
    _run(schema_editor, POSTGRES_DOWN, SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_chain_per_county")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]
