"""Building and requesting monthly reports. Safe to run twice: a build claims its row first."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from reports import exporters
from reports.figures import compute_figures
from reports.models import MonthlyReport, ReportStatus
from reports.months import last_month as last_month  # callers import it from here too
from reports.scopes import Scope, scope_from_key
from reports.selectors import scopes_for
from reports.trends import coordinated_trend

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# A build that has not finished in this long is taken to have died with its worker.
STALE_BUILD = timedelta(minutes=15)


def _row(month: date, scope: Scope) -> MonthlyReport:
    report, _created = MonthlyReport.objects.get_or_create(
        month=month, scope_key=scope.key, defaults={"scope_label": str(scope.label)}
    )
    return report


def report_build(*, month: date, scope: Scope, queued_only: bool = False) -> MonthlyReport | None:
    """Compute the figures and write the three files, replacing any earlier build.

    Returns None when another build of the same report is running (claimed less than
    STALE_BUILD ago): two concurrent runs build once. With `queued_only` (the worker's task), a
    report that is no longer waiting (already built from an earlier copy of the same queue message)
    is left alone too, so a message sent again after it was thought lost builds nothing twice.
    """
    report = _row(month, scope)
    now = timezone.now()
    stale = Q(status=ReportStatus.BUILDING, started_at__lt=now - STALE_BUILD)
    claimable = (
        Q(status__in=[ReportStatus.QUEUED, ReportStatus.FAILED]) if queued_only else ~Q(status=ReportStatus.BUILDING)
    )
    claimed = (
        MonthlyReport.objects.filter(pk=report.pk)
        .filter(claimable | stale)
        .update(status=ReportStatus.BUILDING, started_at=now, error="")
    )
    if not claimed:
        logger.info("report %s is being built by another worker", report.pk)
        return None
    try:
        with translation.override("sv"):
            figures = compute_figures(month=month, scope=scope)
            figures["trend"] = coordinated_trend(last=month, scope=scope)  # the PDF's 12-month chart
            files = {
                "csv_file": exporters.to_csv(figures),
                "xlsx_file": exporters.to_xlsx(figures),
                "pdf_file": exporters.to_pdf(figures),
            }
        report.refresh_from_db()
        name = f"sot-manadsrapport-{month:%Y-%m}-{scope.slug}"
        for field, content in files.items():
            old = getattr(report, field)
            if old:
                old.delete(save=False)  # a rebuild replaces the files
            getattr(report, field).save(f"{name}.{field.removesuffix('_file')}", ContentFile(content), save=False)
        report.figures = figures
        report.scope_label = figures["scope_label"]
        report.status = ReportStatus.READY
        report.built_at = timezone.now()
        report.save()
        return report
    except Exception as exc:
        MonthlyReport.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, error=repr(exc)[:2000])
        raise


def report_request(*, month: date, scope: Scope, by: User) -> MonthlyReport:
    """A director or administrator asks for a (re)build; it is queued and built by a worker."""
    if scope.key not in {s.key for s in scopes_for(by)}:
        raise PermissionDenied
    if month.day != 1 or month >= timezone.localdate().replace(day=1):
        raise ValueError("A report covers a whole month that has ended.")
    report = report_queue(month=month, scope=scope, by=by)
    report.refresh_from_db()
    return report


def report_queue(*, month: date, scope: Scope, by: User | None = None) -> MonthlyReport:
    """Mark the report waiting and, after the commit, put it in the broker's queue. A broker that is down
    loses nothing: the report stays waiting and `reports_requeue_waiting` sends it again later."""
    with transaction.atomic():
        report = _row(month, scope)
        MonthlyReport.objects.filter(pk=report.pk).exclude(status=ReportStatus.BUILDING).update(
            status=ReportStatus.QUEUED, requested_by=by, error="", queued_at=timezone.now()
        )
        transaction.on_commit(lambda: _enqueue(month, scope))
    return report


def reports_requeue_waiting(*, now: datetime | None = None) -> int:
    """Queue again every report that has waited longer than REPORT_REQUEUE_MINUTES without a worker
    taking it (its message lost on a Redis restart, or never sent while the broker was down), and every
    build that has run longer than STALE_BUILD (its worker died). How many were queued again."""
    now = now or timezone.now()
    waiting = Q(status=ReportStatus.QUEUED, queued_at__lt=now - requeue_after()) | Q(
        status=ReportStatus.BUILDING, started_at__lt=now - STALE_BUILD
    )
    again = list(MonthlyReport.objects.filter(waiting))
    for report in again:
        MonthlyReport.objects.filter(pk=report.pk).update(queued_at=now)
        _enqueue(report.month, scope_from_key(report.scope_key))
    return len(again)


def requeue_after() -> timedelta:
    return timedelta(minutes=settings.REPORT_REQUEUE_MINUTES)


def _enqueue(month: date, scope: Scope) -> None:
    from reports.tasks import BROKER_ERRORS, build_monthly_report

    try:
        build_monthly_report.apply_async((month.isoformat(), scope.key), retry=False)
    except BROKER_ERRORS as exc:  # the report stays waiting; reports_requeue_waiting sends it again
        logger.warning("report %s %s not queued, the broker did not answer: %s", month, scope.key, type(exc).__name__)
