"""Each request gets its own copy of the patient's details, as its sending region recorded them.

Before this, one Patient row per personnummer held name, phone and home region for every region,
and any filing overwrote them. Each existing request now keeps the details its patient row held.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_details_to_requests(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    for referral in Referral.objects.select_related("patient").iterator(chunk_size=1000):
        patient = referral.patient
        Referral.objects.filter(pk=referral.pk).update(
            patient_name=patient.name or "–",
            patient_phone=patient.phone,
            patient_home_region_id=patient.home_region_id,
        )


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0001_initial"),
        ("referrals", "0004_group_corrected"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="patient_name",
            field=models.CharField(default="", max_length=200, verbose_name="patient's name"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="referral",
            name="patient_phone",
            field=models.CharField(blank=True, default="", max_length=40, verbose_name="patient's phone"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="referral",
            name="patient_home_region",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.region",
                verbose_name="patient's home region",
            ),
        ),
        migrations.RunPython(copy_details_to_requests, migrations.RunPython.noop, elidable=False),
    ]
