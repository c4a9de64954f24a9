import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.conf import settings

from sot import logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sot.settings")

app = Celery("sot")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks are declared here, in code, next to the app. Times are Europe/Stockholm
# (CELERY_TIMEZONE), so daylight saving time is followed.
app.conf.beat_schedule = {
    # At 06:00 on the 1st of every month: build last month's report for every region and
    # every healthcare region, in time for the health directors' morning.
    "monthly-reports": {
        "task": "reports.build_last_month_everywhere",
        "schedule": crontab(minute=0, hour=6, day_of_month=1),
    },
    # At minute 17 of every hour: forget form tokens and Idempotency-Keys older than
    # IDEMPOTENCY_TTL_HOURS, with the API answers kept for them.
    # Every OUTBOX_POLL_SECONDS: send the e-mail that the services wrote into the outbox (outbox/).
    "deliver-outbox": {
        "task": "outbox.deliver",
        "schedule": float(settings.OUTBOX_POLL_SECONDS),
        "options": {"expires": float(settings.OUTBOX_POLL_SECONDS)},  # a missed round is not worth a queue
    },
    # Every minute: a report that has waited more than REPORT_REQUEUE_MINUTES with no worker taking it
    # (its message lost on a Redis restart, or never sent while the broker was down) is queued again.
    "requeue-waiting-reports": {
        "task": "reports.requeue_waiting",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    # Every minute: the kept months of the figures page that a change touched since (a late acceptance,
    # care recorded as given, an obstacle) are marked stale and computed again (reports/figure_store.py).
    "refresh-monthly-figures": {
        "task": "reports.refresh_monthly_figures",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    "purge-idempotency-claims": {
        "task": "idempotency.purge_expired_claims",
        "schedule": crontab(minute=17),
    },
}


@app.task(name="sot.ping")
def ping() -> str:
    """Round-trip check for deployments and tests: a worker that answers is wired up."""
    return "pong"


# The request id travels with each task in a message header, so the worker's log lines carry the id
# of the request that queued the task (sot/logs.py).
before_task_publish.connect(logs.add_request_id_to_task)
task_prerun.connect(logs.restore_request_id)
task_postrun.connect(logs.forget_request_id)
