"""Guard the append-only history in the database itself, not only in the ORM.

On PostgreSQL a trigger refuses UPDATE and DELETE of referral events (TRUNCATE, used only by
test database flushing, is not a row operation). On SQLite, the development database, a trigger
refuses UPDATE; DELETE stays possible there because SQLite's test flush deletes row by row.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION referral_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'referral events are append-only (' || TG_OP || ' refused)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER referral_event_append_only
    BEFORE UPDATE OR DELETE ON referrals_referralevent
    FOR EACH ROW EXECUTE FUNCTION referral_event_append_only();
"""

SQLITE_FORWARD = """
CREATE TRIGGER referral_event_append_only BEFORE UPDATE ON referrals_referralevent
BEGIN
    SELECT RAISE(ABORT, 'referral events are append-only (UPDATE refused)');
END;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS referral_event_append_only ON referrals_referralevent;
DROP FUNCTION IF EXISTS referral_event_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS referral_event_append_only;")


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
