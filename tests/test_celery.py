"""Celery is wired up: eager in-process without Redis, a real worker through Redis when REDIS_URL is set."""

from __future__ import annotations

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
