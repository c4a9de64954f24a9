"""The access log's guard in the database itself, not only in the ORM (patientdatalagen 4 kap. 3 §).

On PostgreSQL a trigger refuses UPDATE and DELETE of access-log entries (TRUNCATE, used only by test
database flushing, is not a row operation). On SQLite, the development database, a trigger refuses
UPDATE; DELETE stays possible there because SQLite's test flush deletes row by row.

Migration audit 0002 installs the guard, and it is installed again after every `migrate`: SQLite
rebuilds a table, and drops its triggers, whenever a migration alters it. Installing is idempotent and
never leaves the table unguarded: on PostgreSQL the function is replaced and the trigger dropped and
created in one transaction; on SQLite the trigger is created only where it is missing.
"""

from __future__ import annotations

from typing import Any

TABLE = "audit_accesslogentry"

POSTGRESQL = """
CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'the access log is append-only (' || TG_OP || ' refused)';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS access_log_append_only ON audit_accesslogentry;
CREATE TRIGGER access_log_append_only
    BEFORE UPDATE OR DELETE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
"""

SQLITE = """
CREATE TRIGGER IF NOT EXISTS access_log_append_only BEFORE UPDATE ON audit_accesslogentry
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only (UPDATE refused)');
END;
"""


def ensure_access_log_trigger(*, using: str = "default", **kwargs: Any) -> None:
    """Install the guard if the table is there; a post_migrate receiver (AuditConfig.ready)."""
    from django.db import connections, transaction

    connection = connections[using]
    sql = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(connection.vendor)
    if sql is None or TABLE not in connection.introspection.table_names():
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(sql)
