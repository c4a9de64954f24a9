"""The SOT queue's handler ("Mina ärenden"), the time a request entered its status, and the wait
limits per status. The time is backfilled from each request's history: the latest event that moved
its status (its creation if none did)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


# Working days a request may stay in a status before the queue marks it; an accepted request has its
# date of care and waits for nobody, so it has no limit until an administrator gives it one.
DEFAULT_LIMITS = {"submitted": 1, "in_review": 3, "proposed": 2}


def backfill_status_changed_at(apps, schema_editor):
    referral, event = apps.get_model("referrals", "Referral"), apps.get_model("referrals", "ReferralEvent")
    moves = event.objects.filter(referral=OuterRef("pk")).exclude(from_status=F("to_status")).order_by("-at", "-id")
    referral.objects.update(status_changed_at=Coalesce(Subquery(moves.values("at")[:1]), F("created_at")))


def seed_limits(apps, schema_editor):
    limit = apps.get_model("referrals", "StateWaitLimit")
    for status, days in DEFAULT_LIMITS.items():
        limit.objects.get_or_create(status=status, defaults={"working_days": days})


def unseed_limits(apps, schema_editor):
    apps.get_model("referrals", "StateWaitLimit").objects.filter(status__in=DEFAULT_LIMITS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0011_event_given_by_phone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StateWaitLimit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('submitted', 'Submitted'), ('in_review', 'In review'), ('proposed', 'Proposed'), ('accepted', 'Accepted')], max_length=32, unique=True, verbose_name='status')),
                ('working_days', models.PositiveSmallIntegerField(help_text='Monday to Friday. A request in this status for longer is marked in the SOT queue.', verbose_name='working days')),
            ],
            options={
                'verbose_name': 'wait limit',
                'verbose_name_plural': 'wait limits',
                'ordering': ['status'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='referralevent',
            name='referral_event_kind_valid',
        ),
        migrations.AddField(
            model_name='referral',
            name='handler',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='handled_referrals', to=settings.AUTH_USER_MODEL, verbose_name='handler'),
        ),
        migrations.AddField(
            model_name='referral',
            name='status_changed_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='in this status since'),
        ),
        migrations.AlterField(
            model_name='referralevent',
            name='kind',
            field=models.CharField(choices=[('created', 'Created'), ('updated', 'Updated'), ('paused', 'Waiting paused'), ('submitted', 'Submitted'), ('taken', 'Taken into review'), ('proposed', 'Proposed to a receiving unit'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('completed', 'Care given'), ('withdrawn', 'Withdrawn'), ('closed', 'Closed without coordination'), ('contact', 'Contact established'), ('obstacle', 'Obstacle to cooperation recorded'), ('group_corrected', 'Diagnosis group corrected'), ('patient_details', 'Patient details changed'), ('handler_changed', 'Handler changed')], max_length=20, verbose_name='event'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['handler', 'status'], name='referral_handler_status'),
        ),
        migrations.AddConstraint(
            model_name='referralevent',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['created', 'updated', 'paused', 'submitted', 'taken', 'proposed', 'accepted', 'declined', 'completed', 'withdrawn', 'closed', 'contact', 'obstacle', 'group_corrected', 'patient_details', 'handler_changed'])), name='referral_event_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='statewaitlimit',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['submitted', 'in_review', 'proposed', 'accepted'])), name='wait_limit_status_limited'),
        ),
        migrations.RunPython(backfill_status_changed_at, migrations.RunPython.noop),
        migrations.RunPython(seed_limits, unseed_limits),
    ]
