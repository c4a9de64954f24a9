from __future__ import annotations

import logging
from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from organisations.models import HealthcareRegion, Region
from reports.scopes import Scope, scope_from_key

logger = logging.getLogger(__name__)

# Worth another attempt: the database, the broker, the cache or the file storage did not answer in
# time. Anything else (a ValueError, KeyError or TypeError, a ProgrammingError, a row that does not
# exist) fails the same way every time: the task fails at once and the report is marked failed.
# The broker did not take a message: it is down, restarting or unreachable.
BROKER_ERRORS: tuple[type[BaseException], ...] = (
    BrokerOperationalError,
    RedisConnectionError,
    RedisTimeoutError,
    ConnectionError,
    TimeoutError,
)
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, *BROKER_ERRORS)


@shared_task(
    name="reports.build_monthly_report",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=5,
    acks_late=True,
)
def build_monthly_report(month: str, scope_key: str) -> str | None:
    """Thin task: month (YYYY-MM-DD) and scope key in, the report service does the work."""
    from reports.services import report_build

    report = report_build(month=date.fromisoformat(month), scope=scope_from_key(scope_key), queued_only=True)
    return report.status if report else None


@shared_task(name="reports.build_last_month_everywhere")
def build_last_month_everywhere() -> int:
    """The monthly run: last month for every region and every healthcare region."""
    from reports.services import last_month, report_queue

    month = last_month()
    scopes = [Scope("region", region=r) for r in Region.objects.all()]
    scopes += [Scope("healthcare_region", healthcare_region=h) for h in HealthcareRegion.objects.all()]
    for scope in scopes:
        report_queue(month=month, scope=scope)
    try:
        build_monthly_figures.apply_async(retry=False)
    except BROKER_ERRORS as exc:  # no loss: the per-minute refresh keeps last month too
        logger.warning("monthly figures not queued, the broker did not answer: %s", type(exc).__name__)
    return len(scopes)


@shared_task(name="reports.build_monthly_figures", autoretry_for=TRANSIENT_ERRORS, retry_backoff=60, max_retries=5)
def build_monthly_figures(months: int = 12) -> int:
    """Thin task, from the monthly run: keep the figures page's months up to last month for every scope."""
    from reports.figure_store import figures_backfill

    return figures_backfill(months=months)


@shared_task(name="reports.refresh_monthly_figures", ignore_result=True)
def refresh_monthly_figures() -> int:
    """Thin task, every minute from beat: the kept months that changes touched are computed again."""
    from reports.figure_store import figures_refresh

    return figures_refresh()


@shared_task(name="reports.requeue_waiting", ignore_result=True)
def requeue_waiting() -> int:
    """Thin task, every minute from beat: reports that no worker took are queued again."""
    from reports.services import reports_requeue_waiting

    return reports_requeue_waiting()
