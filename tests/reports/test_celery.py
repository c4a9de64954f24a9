"""Celery is wired up: a task really travels through the broker to a worker.

The test settings run tasks eagerly, in the caller's thread, so that other tests need no worker. Here
that is turned off: each task goes through the broker (Redis when REDIS_URL is set, as in CI; kombu's
in-process memory transport otherwise) to a real worker started in a thread. The assertions are what
only that trip shows: the message waits in the queue, as JSON, until a worker takes it, and the task
runs in the worker's thread, not the caller's. Left eager, every one of these tests fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import after_task_publish, task_prerun
from django.conf import settings

from sot.celery import app, ping

ROOT = Path(__file__).resolve().parents[2]
REPORT_ARGS = ["2026-10-01", "region:skane"]


@contextmanager
def through_the_broker():
    """Tasks are published to the broker, not run in place; the queue starts empty."""
    app.conf.task_always_eager = False
    try:
        app.control.purge()  # the test broker's own queue: whatever an earlier run left there
        yield
    finally:
        app.conf.task_always_eager = True


def waiting() -> int:
    """Messages waiting in the default queue of the broker."""
    with app.connection_for_write() as connection:
        return connection.default_channel.queue_declare(
            queue=app.conf.task_default_queue, durable=True, auto_delete=False
        ).message_count


@pytest.fixture
def trips():
    """What Celery's signals saw: each message published to the broker, and each run with its thread."""
    seen: dict[str, list] = {"published": [], "ran": []}

    def published(sender=None, headers=None, routing_key=None, **kwargs):
        seen["published"].append((sender, headers["id"], routing_key))

    def ran(sender=None, task_id=None, **kwargs):
        seen["ran"].append((sender.name, task_id, threading.get_ident()))

    after_task_publish.connect(published, weak=False)
    task_prerun.connect(ran, weak=False)
    yield seen
    after_task_publish.disconnect(published)
    task_prerun.disconnect(ran)


def worker():
    return start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING")


@pytest.mark.django_db
def test_a_task_waits_in_the_broker_as_json_until_a_worker_takes_it(trips):
    from reports.models import MonthlyReport
    from reports.tasks import build_monthly_report

    with through_the_broker():
        result = build_monthly_report.delay(*REPORT_ARGS)
        assert waiting() == 1
        assert trips["published"] == [("reports.build_monthly_report", result.id, app.conf.task_default_queue)]
        assert trips["ran"] == []  # nothing ran in the caller
        assert not MonthlyReport.objects.exists()
        with app.connection_for_write() as connection:
            message = connection.default_channel.basic_get(queue=app.conf.task_default_queue, no_ack=True)
        assert waiting() == 0
    assert message.content_type == "application/json"
    assert (message.headers["task"], message.headers["id"]) == ("reports.build_monthly_report", result.id)
    args, kwargs, _embed = json.loads(message.body)
    assert (args, kwargs) == (REPORT_ARGS, {})


def test_ping_goes_through_the_broker_to_a_worker(trips):
    with through_the_broker():
        result = ping.delay()
        assert waiting() == 1
        with worker():
            assert result.get(timeout=20) == "pong"
        assert waiting() == 0
    assert [(name, task_id) for name, task_id, _thread in trips["ran"]] == [("sot.ping", result.id)]
    assert trips["ran"][0][2] != threading.get_ident()  # the worker's thread ran it


@pytest.mark.django_db(transaction=True)
def test_report_task_builds_on_a_worker(world, settings, tmp_path, trips):
    from reports.models import MonthlyReport, ReportStatus
    from reports.tasks import build_monthly_report

    settings.MEDIA_ROOT = tmp_path
    with through_the_broker():
        result = build_monthly_report.delay(*REPORT_ARGS)
        assert not MonthlyReport.objects.exists()  # queued, not built in the caller
        with worker():
            assert result.get(timeout=60) == ReportStatus.READY
    runs = [(name, task_id) for name, task_id, _thread in trips["ran"]]
    assert runs == [("reports.build_monthly_report", result.id)]
    assert trips["ran"][0][2] != threading.get_ident()
    report = MonthlyReport.objects.get(scope_key="region:skane")
    assert report.status == ReportStatus.READY and report.pdf_file


def test_broker_follows_redis_url():
    if settings.REDIS_URL:
        assert app.conf.broker_url == settings.REDIS_URL
        assert app.conf.result_backend == settings.REDIS_URL
        assert str(settings.CACHES["default"]["BACKEND"]).endswith("RedisCache")
    else:
        assert app.conf.broker_url.startswith("memory://")  # a worker must then share this process
        assert not str(settings.CACHES["default"]["BACKEND"]).endswith("RedisCache")


def _production_celery_settings(**env) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    clean.update(DEBUG="1", **env)
    result = subprocess.run(
        [sys.executable, "-c", "import sot.settings as s; print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_real_settings_run_tasks_in_process_only_without_redis():
    """The app's own settings, not the test settings (which force eager mode for every other test)."""
    assert _production_celery_settings() == ["True", "memory://localhost/"]
    assert _production_celery_settings(REDIS_URL="redis://127.0.0.1:6379/9") == ["False", "redis://127.0.0.1:6379/9"]
