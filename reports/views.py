"""The health directors' reports page. Aggregates only; files only for those who may see them."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.requests import AuthenticatedHttpRequest
from reports.forms import BuildReportForm
from reports.selectors import report_get_for, reports_visible_to, scopes_for
from reports.services import report_request

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _scopes(user: User) -> Any:
    scopes = scopes_for(user)
    if not scopes:
        raise PermissionDenied
    return scopes


@require_GET
@login_required
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    scopes = _scopes(request.user)
    reports = list(reports_visible_to(request.user))
    context = {"reports": reports, "pending": any(r.is_pending for r in reports)}
    if request.htmx:  # the page polls this fragment while a report is being built
        return render(request, "reports/_table.html", context)
    return render(request, "reports/list.html", {**context, "form": BuildReportForm(scopes=scopes)})


@require_POST
@login_required
def report_build_now(request: AuthenticatedHttpRequest) -> HttpResponse:
    scopes = _scopes(request.user)
    form = BuildReportForm(request.POST, scopes=scopes)
    if form.is_valid():
        report_request(month=form.cleaned_data["month"], scope=form.cleaned_data["scope"], by=request.user)
        messages.success(request, _("The report was ordered; the list shows its status and updates itself."))
    else:
        messages.error(request, _("Choose a month that has ended and a scope you may see."))
    return redirect("reports:list")


@require_GET
@login_required
def report_download(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = report_get_for(request.user, pk=pk)
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
