"""Every access-log entry has its place and hash now (0004), and no two share a place in a chain."""

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
        migrations.AddConstraint(
            model_name='accesslogentry',
            constraint=models.UniqueConstraint(fields=('patient', 'chain_seq'), name='access_chain_place_unique'),
        ),
    ]
