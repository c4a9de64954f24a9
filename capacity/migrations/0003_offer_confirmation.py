"""When and by whom each capacity offer was last confirmed, and how long a confirmation counts (one row the
administrator edits). Existing offers count as confirmed when and by whom they were published."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F

DEFAULT_DAYS = 14


def backfill_confirmation(apps, schema_editor):
    offer = apps.get_model("capacity", "CapacityOffer")
    offer.objects.filter(confirmed_at__isnull=True).update(confirmed_at=F("created_at"), confirmed_by=F("created_by"))


def seed_limit(apps, schema_editor):
    apps.get_model("capacity", "ConfirmationLimit").objects.get_or_create(pk=1, defaults={"days": DEFAULT_DAYS})


class Migration(migrations.Migration):

    dependencies = [
        ("capacity", "0002_diagnosis_group_in_catalog"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="capacityoffer",
            name="confirmed_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="last confirmed"),
        ),
        migrations.AddField(
            model_name="capacityoffer",
            name="confirmed_by",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="last confirmed by",
            ),
        ),
        migrations.RunPython(backfill_confirmation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="capacityoffer",
            name="confirmed_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="last confirmed"
            ),
        ),
        migrations.AlterField(
            model_name="capacityoffer",
            name="confirmed_by",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="last confirmed by",
            ),
        ),
        migrations.CreateModel(
            name="ConfirmationLimit",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, editable=False, primary_key=True, serialize=False)),
                (
                    "days",
                    models.PositiveSmallIntegerField(
                        default=14,
                        help_text=(
                            "An offer last confirmed more calendar days ago than this is marked unconfirmed in the "
                            "proposals and ranks after confirmed ones. Confirmed exactly this many days ago still "
                            "counts."
                        ),
                        verbose_name="days",
                    ),
                ),
            ],
            options={
                "verbose_name": "confirmation limit",
                "verbose_name_plural": "confirmation limit",
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("id", 1)), name="confirmation_limit_single_row"),
                    models.CheckConstraint(condition=models.Q(("days__gte", 1)), name="confirmation_limit_days_positive"),
                ],
            },
        ),
        migrations.RunPython(seed_limit, migrations.RunPython.noop),
    ]
