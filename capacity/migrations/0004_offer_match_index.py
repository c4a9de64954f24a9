"""The index of matching's one query: the active offers of one diagnosis group from a week on, covering every
column the query aggregates, so that PostgreSQL answers it from the index alone."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("capacity", "0003_offer_confirmation"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="capacityoffer",
            index=models.Index(
                condition=models.Q(("withdrawn_at__isnull", True)),
                fields=["diagnosis_group", "week_start"],
                include=("unit", "slots", "reserved_slots", "max_asa", "confirmed_at"),
                name="offer_match",
            ),
        ),
    ]
