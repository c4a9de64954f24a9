"""A Redis outage loses nothing and shows no 500 (issue 14 §1), against a real Redis of the test's own.

The settings are the production ones for a deployment with Redis: the cache and the broker point at
the test's redis-server, tasks go through the broker, and e-mail waits in the outbox for the worker.
Then that Redis is stopped: pages and the API keep answering, nothing is half-written, and what was
to be sent goes out once Redis is back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutboxMessage
from outbox.services import outbox_deliver
from referrals.models import ReferralStatus
from reports.models import MonthlyReport, ReportStatus
from reports.services import last_month, reports_requeue_waiting
from sot.celery import app
from tests.factories import ReferralFactory
from tests.services import OwnRedis, own_redis


@pytest.fixture
def redis_of_our_own(settings) -> Iterator[OwnRedis]:
    with own_redis() as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": server.url,
                "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
            }
        }
        settings.OUTBOX_DELIVER_ON_COMMIT = False  # as with workers: beat's outbox.deliver sends
        before = (app.conf.broker_url, app.conf.task_always_eager)
        app.conf.broker_url, app.conf.task_always_eager = server.url, False
        _forget_broker_connections()
        try:
            yield server
        finally:
            app.conf.broker_url, app.conf.task_always_eager = before
            _forget_broker_connections()


def _forget_broker_connections() -> None:
    """Celery keeps its pool of broker connections and producers (kombu's pools, one per broker URL):
    after the switch it must take the pool of the broker now configured."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def emails(world) -> None:
    world.sot.email = "sot@skane.example.org"
    world.sot.save()


def test_submit_with_redis_down_answers_and_the_email_goes_out_afterwards(
    client, world, emails, redis_of_our_own, django_capture_on_commit_callbacks
):
    draft = ReferralFactory(sending_unit=world.home_unit, status=ReferralStatus.DRAFT)
    client.force_login(world.unit_staff)
    redis_of_our_own.stop()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("referrals:submit", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReferralStatus.SUBMITTED
    waiting = OutboxMessage.objects.get()
    assert (waiting.recipient, waiting.sent_at) == ("sot@skane.example.org", None)
    assert mail.outbox == []

    redis_of_our_own.start()
    assert outbox_deliver().sent == 1  # beat's outbox.deliver, once Redis is back
    assert [m.to for m in mail.outbox] == [["sot@skane.example.org"]]
    assert draft.reference in mail.outbox[0].subject
    assert outbox_deliver().sent == 0  # and never twice


def test_the_api_answers_with_the_cache_down(client, world, redis_of_our_own):
    ReferralFactory(sending_unit=world.home_unit, status=ReferralStatus.SUBMITTED)
    client.force_login(world.unit_staff)
    assert client.get("/api/v1/referrals/").status_code == 200
    redis_of_our_own.stop()
    response = client.get("/api/v1/referrals/")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_build_now_with_the_broker_down_is_queued_and_sent_again_later(
    client, world, redis_of_our_own, django_capture_on_commit_callbacks
):
    client.force_login(world.director)
    redis_of_our_own.stop()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:build"), {"month": last_month().isoformat(), "scope": "region:skane"})
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert report.status == ReportStatus.QUEUED

    later = timezone.now() + timedelta(minutes=6)
    MonthlyReport.objects.filter(pk=report.pk).update(queued_at=timezone.now() - timedelta(minutes=3))
    body = client.get(reverse("reports:list")).content.decode()
    assert 'data-testid="report-waiting"' in body  # the director is told, not left polling in silence

    redis_of_our_own.start()
    queue = redis.Redis.from_url(redis_of_our_own.url)
    assert queue.llen(app.conf.task_default_queue) == 0
    assert reports_requeue_waiting(now=later) == 1
    assert queue.llen(app.conf.task_default_queue) == 1  # the build is in the broker's queue again
    assert reports_requeue_waiting(now=later) == 0  # once: its wait starts again


def test_the_queue_keeps_its_filter_lists_with_redis_down(client, world, redis_of_our_own):
    """The queue's choice lists are kept in the cache (sot.reference_cache); with the cache's Redis stopped
    they are read from the database, and the page answers as before."""
    client.force_login(world.sot)
    unit_option = f'<option value="{world.home_unit.pk}">'
    first = client.get(reverse("work:queue"))
    assert first.status_code == 200 and unit_option in first.content.decode()
    assert redis.Redis.from_url(redis_of_our_own.url).keys("*queue-filter:*")  # kept in Redis
    redis_of_our_own.stop()
    again = client.get(reverse("work:queue"))
    assert again.status_code == 200 and unit_option in again.content.decode()
