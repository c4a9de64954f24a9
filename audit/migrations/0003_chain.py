"""The access log becomes a hash chain per patient (audit/chain.py): each entry's place and hash, and the
heads of all chains. The columns are nullable until 0004 has chained the existing entries; 0005 requires them."""

from django.db import migrations, models

GENESIS = "0" * 64


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_access_log_guard'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('chain', models.CharField(max_length=20, verbose_name='chain')),
                ('key', models.BigIntegerField(help_text="The patient's or the request's id.", verbose_name='key')),
                ('length', models.PositiveBigIntegerField(default=0, verbose_name='length')),
                ('last_hash', models.CharField(default=GENESIS, max_length=64, verbose_name='last hash')),
            ],
            options={
                'verbose_name': 'chain head',
                'verbose_name_plural': 'chain heads',
                'constraints': [models.UniqueConstraint(fields=('chain', 'key'), name='chain_head_unique')],
            },
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='chain_hash',
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='chain_seq',
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
    ]
