"""Every request event has its place and hash now (0009), indexed by chain and place for
verify_audit_chain (see audit 0005 on why not unique)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0009_event_chain_backfill'),
    ]

    operations = [
        migrations.AlterField(
            model_name='referralevent',
            name='chain_hash',
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='referralevent',
            name='chain_seq',
            field=models.PositiveBigIntegerField(editable=False),
        ),
        migrations.AddIndex(
            model_name='referralevent',
            index=models.Index(fields=['referral', 'chain_seq'], name='referral_event_chain_place'),
        ),
    ]
