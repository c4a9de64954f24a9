"""The access log's append-only trigger becomes audit's own (it was installed by referrals until now).

Safe where the trigger exists already, which is everywhere this runs on a used database: on PostgreSQL
the function is created or replaced and the trigger dropped and created again inside this migration's
transaction, so the table is never unguarded; on SQLite the trigger is created only where missing.
The SQL is written out here rather than imported, so that this migration keeps doing what it did when
audit/db_guards.py changes; `AuditConfig.ready` re-installs the same guard after every migrate.
Reversing leaves the guard in place.
"""

from django.db import migrations

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


def install_guard(apps, schema_editor):
    sql = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor)
    if sql is not None:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(install_guard, migrations.RunPython.noop, elidable=False),
    ]
