"""The access log's user and patient keep no index of their own: `access_user_at`, `access_patient_at`
and `access_chain_place` begin with them and serve every lookup, and each index is written by every page
that shows patients. Only the indexes are dropped: the foreign keys stay as they are (no re-validation of
a large table)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEXES = {
    "audit_accesslogentry_patient_id_23ea6d41": "patient_id",
    "audit_accesslogentry_user_id_df6d7662": "user_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_accesslogentry_user_hsa_id"),
        ("referrals", "0013_travel_limit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="accesslogentry",
                    name="patient",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="access_log",
                        to="referrals.patient",
                        verbose_name="patient",
                    ),
                ),
                migrations.AlterField(
                    model_name="accesslogentry",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="access_log",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "audit_accesslogentry" ("{column}")',
                )
                for name, column in INDEXES.items()
            ],
        ),
    ]
