"""Every access-log entry has its place and hash now (0004), indexed by chain and place for verify_audit_chain.
Not unique on purpose: a row copied or moved by someone past the application is for verify_audit_chain
to report, not for the database to refuse with an error the tamperer simply works around."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_chain_backfill'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accesslogentry',
            name='chain_hash',
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='accesslogentry',
            name='chain_seq',
            field=models.PositiveBigIntegerField(editable=False),
        ),
        migrations.AddIndex(
            model_name='accesslogentry',
            index=models.Index(fields=['patient', 'chain_seq'], name='access_chain_place'),
        ),
    ]
