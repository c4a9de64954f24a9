"""Chain the access-log entries written before the chains existed, per patient in the order written, and
create each chain's head. Runs as the database owner; the append-only trigger is off for this table only
inside this migration's transaction (audit/chain_backfill.py says why nobody else sees it unguarded).
The hash is audit.chain's, imported rather than written out: the rows must verify under it for good."""

from django.db import migrations

from audit.chain import ACCESS_LOG
from audit.chain_backfill import backfill, guard_lifted

SQLITE_GUARD = """
CREATE TRIGGER IF NOT EXISTS access_log_append_only BEFORE UPDATE ON audit_accesslogentry
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only (UPDATE refused)');
END;
"""
FIELDS = ("at", "user_id", "role", "place", "patient_id", "referral_id", "action", "what")


def chain_access_log(apps, schema_editor):
    entry, head = apps.get_model("audit", "AccessLogEntry"), apps.get_model("audit", "ChainHead")
    with guard_lifted(
        schema_editor, table="audit_accesslogentry", trigger="access_log_append_only", sqlite_create=SQLITE_GUARD
    ):
        backfill(entry, head, chain=ACCESS_LOG, key="patient_id", fields=FIELDS)


def unchain_access_log(apps, schema_editor):
    apps.get_model("audit", "ChainHead").objects.filter(chain=ACCESS_LOG).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_chain'),
    ]

    operations = [
        migrations.RunPython(chain_access_log, unchain_access_log, elidable=False),
    ]
