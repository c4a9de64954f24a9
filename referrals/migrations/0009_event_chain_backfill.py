"""Chain the request events written before the chains existed, per request in the order written, and
create each chain's head (audit.ChainHead). Runs as the database owner; the append-only trigger is off
for this table only inside this migration's transaction (audit/chain_backfill.py)."""

from django.db import migrations

from audit.chain import REFERRAL_EVENT
from audit.chain_backfill import backfill, guard_lifted

SQLITE_GUARD = """
CREATE TRIGGER IF NOT EXISTS referral_event_append_only BEFORE UPDATE ON referrals_referralevent
BEGIN
    SELECT RAISE(ABORT, 'referral events are append-only (UPDATE refused)');
END;
"""
FIELDS = (
    "referral_id", "kind", "from_status", "to_status", "actor_id", "at", "reason", "note", "receiving_unit_id",
)


def chain_events(apps, schema_editor):
    event, head = apps.get_model("referrals", "ReferralEvent"), apps.get_model("audit", "ChainHead")
    with guard_lifted(
        schema_editor, table="referrals_referralevent", trigger="referral_event_append_only", sqlite_create=SQLITE_GUARD
    ):
        backfill(event, head, chain=REFERRAL_EVENT, key="referral_id", fields=FIELDS)


def unchain_events(apps, schema_editor):
    apps.get_model("audit", "ChainHead").objects.filter(chain=REFERRAL_EVENT).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0008_event_chain'),
        ('audit', '0003_chain'),
    ]

    operations = [
        migrations.RunPython(chain_events, unchain_events, elidable=False),
    ]
