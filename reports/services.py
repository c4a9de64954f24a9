"""Building and requesting monthly reports. Safe to run twice: a build claims its row first."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from reports import exporters
from reports.figures import compute_figures
from reports.models import MonthlyReport, ReportStatus
from reports.scopes import Scope
from reports.selectors import scopes_for

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# A build that has not finished in this long is taken to have died with its worker.
STALE_BUILD = timedelta(minutes=15)


def last_month(today: date | None = None) -> date:
    first = (today or timezone.localdate()).replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def _row(month: date, scope: Scope) -> MonthlyReport:
    report, _created = MonthlyReport.objects.get_or_create(
        month=month, scope_key=scope.key, defaults={"scope_label": str(scope.label)}
    )
    return report


def report_build(*, month: date, scope: Scope) -> MonthlyReport | None:
    """Compute the figures and write the three files, replacing any earlier build.

    Returns None when another build of the same report is running (claimed less than
    STALE_BUILD ago): two concurrent runs build once.
    """
    report = _row(month, scope)
    now = timezone.now()
    claimed = (
        MonthlyReport.objects.filter(pk=report.pk)
        .filter(~Q(status=ReportStatus.BUILDING) | Q(started_at__lt=now - STALE_BUILD))
        .update(status=ReportStatus.BUILDING, started_at=now, error="")
    )
    if not claimed:
        logger.info("report %s is being built by another worker", report.pk)
        return None
    try:
        with translation.override("sv"):
            figures = compute_figures(month=month, scope=scope)
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
    with transaction.atomic():
        report = _row(month, scope)
        MonthlyReport.objects.filter(pk=report.pk).exclude(status=ReportStatus.BUILDING).update(
            status=ReportStatus.QUEUED, requested_by=by, error=""
        )
        transaction.on_commit(lambda: _enqueue(month, scope))
    report.refresh_from_db()
    return report


def _enqueue(month: date, scope: Scope) -> None:
    from reports.tasks import build_monthly_report

    build_monthly_report.delay(month.isoformat(), scope.key)
