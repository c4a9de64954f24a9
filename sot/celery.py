import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sot.settings")

app = Celery("sot")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks are declared here, in code, next to the app (filled by the report issue).
app.conf.beat_schedule = {}


@app.task(name="sot.ping")
def ping() -> str:
    """Round-trip check for deployments and tests: a worker that answers is wired up."""
    return "pong"
