from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from referrals.notifications import send_notification


@shared_task(
    name="referrals.send_event_notification",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
    acks_late=True,
)
def send_event_notification(event_id: int) -> int:
    """Thin task: an event id in, the notification service does the work."""
    return send_notification(event_id)
