"""Writing messages into the outbox and delivering the ones that are due."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from outbox.models import OutboxMessage

logger = logging.getLogger(__name__)

BATCH = 50
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)


@dataclass(frozen=True)
class Delivery:
    sent: int = 0
    failed: int = 0


def message_enqueue(*, topic: str, recipients: list[str], subject: str, body: str) -> int:
    """One message per recipient (nobody sees who else was told), in the caller's transaction.

    Where no worker runs (the embedded default, tasks in-process), the messages are delivered right
    after the commit, in this process; otherwise the periodic `outbox.deliver` task takes them.
    """
    rows = [OutboxMessage(topic=topic, recipient=r, subject=subject, body=body) for r in recipients]
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    if rows and settings.OUTBOX_DELIVER_ON_COMMIT:
        transaction.on_commit(outbox_deliver)
    return len(rows)


def retry_delay(attempts: int) -> timedelta:
    """30 s after the first failure, doubling, at most an hour: a message is retried until it goes."""
    return min(FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 20), LONGEST_WAIT)


def outbox_deliver(*, now: datetime | None = None) -> Delivery:
    """Send every due message. Safe in several workers at once: each batch is claimed with
    SELECT … FOR UPDATE SKIP LOCKED, so a message is sent by one worker only."""
    sent = failed = 0
    while True:
        batch_sent, batch_failed, more = _deliver_batch(now or timezone.now())
        sent, failed = sent + batch_sent, failed + batch_failed
        if not more:
            return Delivery(sent=sent, failed=failed)


def _deliver_batch(now: datetime) -> tuple[int, int, bool]:
    with transaction.atomic():
        batch = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")[:BATCH]
        )
        if not batch:
            return 0, 0, False
        connection = get_connection()
        sent = sum(_send(message, connection, now) for message in batch)
        OutboxMessage.objects.bulk_update(batch, ["attempts", "next_attempt_at", "last_error", "sent_at"])
    return sent, len(batch) - sent, len(batch) == BATCH


def _send(message: OutboxMessage, connection: BaseEmailBackend, now: datetime) -> bool:
    message.attempts += 1
    email = EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient])
    try:
        connection.send_messages([email])
    except (SMTPException, OSError) as exc:  # the mail server is down, refuses or times out
        message.next_attempt_at = now + retry_delay(message.attempts)
        message.last_error = type(exc).__name__
        logger.warning(
            "outbox message %s not delivered (attempt %s): %s", message.pk, message.attempts, message.last_error
        )
        return False
    message.sent_at = timezone.now()
    message.last_error = ""
    return True
