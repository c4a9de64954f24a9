"""A built report's file as a download, for the pages and the API alike."""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404

from reports.models import MonthlyReport

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def report_file_response(report: MonthlyReport, fmt: str) -> FileResponse:
    """The report's file in `fmt` as an attachment with a clean name; 404 when there is none."""
    file = getattr(report, f"{fmt}_file", None) if fmt in CONTENT_TYPES else None
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:  # the row outlived its file (restored database, lost volume): rebuild it
        logger.error("report %s: %s file missing", report.pk, fmt)
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"sot-manadsrapport-{report.month:%Y-%m}-{report.scope_key.replace(':', '-')}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )
