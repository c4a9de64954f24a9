"""Guard the append-only history in the database itself, not only in the ORM.

On PostgreSQL a trigger refuses UPDATE and DELETE of referral events (TRUNCATE, used only by
test database flushing, is not a row operation). SQLite relies on the model's guards.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION referral_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'referral events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER referral_event_append_only
    BEFORE UPDATE OR DELETE ON referrals_referralevent
    FOR EACH ROW EXECUTE FUNCTION referral_event_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS referral_event_append_only ON referrals_referralevent;
DROP FUNCTION IF EXISTS referral_event_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
