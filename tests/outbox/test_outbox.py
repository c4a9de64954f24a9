"""The outbox: written with the change, delivered afterwards, retried until the mail server takes it,
and sent once even with several workers delivering at the same moment."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone

from outbox.models import OutboxMessage
from outbox.services import message_enqueue, outbox_deliver, retry_delay
from tests.services import free_port


def enqueue(topic: str = "referral-event:1", recipients: tuple[str, ...] = ("a@example.org", "b@example.org")) -> int:
    return message_enqueue(topic=topic, recipients=list(recipients), subject="SOT-2026-000001", body="Öppna SOT")


@pytest.fixture
def with_workers(settings):
    settings.OUTBOX_DELIVER_ON_COMMIT = False


def test_one_message_per_recipient_and_written_twice_still_once(db, with_workers):
    enqueue()
    enqueue()
    assert sorted(OutboxMessage.objects.values_list("recipient", flat=True)) == ["a@example.org", "b@example.org"]
    assert outbox_deliver().sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees who else was told


def test_a_rolled_back_change_writes_no_message(db, with_workers):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue()
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()


def test_without_workers_the_message_goes_right_after_the_commit(db, settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_DELIVER_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(recipients=("a@example.org",))
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert OutboxMessage.objects.get().sent_at is not None


def test_a_mail_server_that_is_down_is_tried_again_until_it_takes_the_message(db, settings, with_workers):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2  # nothing listens
    enqueue(recipients=("a@example.org",))
    now = timezone.now()
    assert outbox_deliver(now=now).failed == 1
    message = OutboxMessage.objects.get()
    assert (message.attempts, message.sent_at, message.last_error) == (1, None, "ConnectionRefusedError")
    assert message.next_attempt_at == now + timedelta(seconds=30)
    assert outbox_deliver(now=now + timedelta(seconds=10)).failed == 0  # not due yet: left alone

    outbox_deliver(now=now + timedelta(seconds=31))
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at == now + timedelta(seconds=31 + 60)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    assert outbox_deliver(now=now + timedelta(hours=1)).sent == 1
    message.refresh_from_db()
    assert message.sent_at is not None and message.last_error == "" and message.attempts == 3


def test_retries_wait_longer_each_time_but_never_more_than_an_hour():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(50) == timedelta(hours=1)


WORKERS = 8


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_workers_delivering_at_once_send_each_message_once(with_workers):
    for n in range(120):
        enqueue(topic=f"referral-event:{n}", recipients=("a@example.org",))
    barrier = threading.Barrier(WORKERS)
    results: list[int] = []

    def deliver() -> None:
        try:
            barrier.wait(timeout=30)  # each worker on its own database connection
            results.append(outbox_deliver().sent)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(results) == 120 and len(results) == WORKERS
    assert len(mail.outbox) == 120
    assert sorted(m.subject for m in mail.outbox) == ["SOT-2026-000001"] * 120
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
