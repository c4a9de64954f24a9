from __future__ import annotations

from celery import shared_task


@shared_task(name="outbox.deliver", ignore_result=True)
def deliver() -> int:
    """Thin task, run by beat every OUTBOX_POLL_SECONDS: the outbox service sends what is due."""
    from outbox.services import outbox_deliver

    return outbox_deliver().sent
