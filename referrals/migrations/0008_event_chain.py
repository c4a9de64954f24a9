"""Request events become a hash chain per request (audit/chain.py). Nullable until 0009 has chained the
existing events; 0010 requires them."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0007_catalog_moved_out'),
    ]

    operations = [
        migrations.AddField(
            model_name='referralevent',
            name='chain_hash',
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name='referralevent',
            name='chain_seq',
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
    ]
