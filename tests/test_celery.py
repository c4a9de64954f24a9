"""Celery is wired up: eager in-process without Redis, a real worker through Redis when REDIS_URL is set."""

from __future__ import annotations

import pytest
from django.conf import settings

from sot.celery import app, ping


def test_ping_runs(settings):
    if not settings.REDIS_URL:
        assert ping.delay().get(timeout=5) == "pong"
        return
    from celery.contrib.testing.worker import start_worker

    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            assert ping.delay().get(timeout=20) == "pong"
    finally:
        app.conf.task_always_eager = True


def test_broker_follows_redis_url():
    if settings.REDIS_URL:
        assert app.conf.broker_url == settings.REDIS_URL
        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    else:
        assert app.conf.task_always_eager is True


@pytest.mark.django_db(transaction=True)
def test_report_task_builds_on_a_worker(world, settings, tmp_path):
    """With REDIS_URL (CI) the report task goes through Redis to a real worker; without it, in-process."""
    from reports.models import MonthlyReport, ReportStatus
    from reports.tasks import build_monthly_report

    settings.MEDIA_ROOT = tmp_path
    if not settings.REDIS_URL:
        assert build_monthly_report.delay("2026-10-01", "region:skane").get(timeout=30) == ReportStatus.READY
    else:
        from celery.contrib.testing.worker import start_worker

        app.conf.task_always_eager = False
        try:
            with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
                result = build_monthly_report.delay("2026-10-01", "region:skane")
                assert result.get(timeout=60) == ReportStatus.READY
        finally:
            app.conf.task_always_eager = True
    report = MonthlyReport.objects.get(scope_key="region:skane")
    assert report.status == ReportStatus.READY and report.pdf_file
