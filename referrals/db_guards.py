"""Guards of the append-only history in the database itself, not only in the ORM.

On PostgreSQL a trigger refuses UPDATE and DELETE of referral events (TRUNCATE, used only by
test database flushing, is not a row operation). On SQLite, the development database, a trigger
refuses UPDATE; DELETE stays possible there because SQLite's test flush deletes row by row.

The triggers are (re)created after every `migrate`: SQLite rebuilds a table, and drops its
triggers, whenever a migration alters it, so a one-off migration would not keep them. The access
log's own guard is audit's (audit/db_guards.py).
"""

from __future__ import annotations

from typing import Any

POSTGRESQL = """
CREATE OR REPLACE FUNCTION referral_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'referral events are append-only (' || TG_OP || ' refused)';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS referral_event_append_only ON referrals_referralevent;
CREATE TRIGGER referral_event_append_only
    BEFORE UPDATE OR DELETE ON referrals_referralevent
    FOR EACH ROW EXECUTE FUNCTION referral_event_append_only();
"""

SQLITE = """
CREATE TRIGGER IF NOT EXISTS referral_event_append_only BEFORE UPDATE ON referrals_referralevent
BEGIN
    SELECT RAISE(ABORT, 'referral events are append-only (UPDATE refused)');
END;
"""


def ensure_append_only_triggers(*, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    connection = connections[using]
    sql = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(connection.vendor)
    if sql is None or "referrals_referralevent" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(sql)
