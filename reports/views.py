"""The health directors' reports page. Aggregates only; files only for those who may see them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.requests import AuthenticatedHttpRequest
from reports.charts import trend_sections
from reports.files import report_file_response
from reports.forms import BuildReportForm, FiguresForm
from reports.months import month_label, short_month_label
from reports.selectors import (
    figure_scope_get_for,
    figure_scopes_for,
    report_get_for,
    reports_visible_to,
    scopes_for,
)
from reports.services import last_month, report_request
from reports.trends import trends_for_page

if TYPE_CHECKING:
    from accounts.models import User


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
    context = {
        "reports": reports,
        "pending": any(r.is_pending for r in reports),
        "waiting_long": any(r.is_waiting_long for r in reports),
    }
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
def report_download(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> FileResponse:
    return report_file_response(report_get_for(request.user, pk=pk), fmt)


@require_GET
@login_required
def figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Läget just nu: the report's figures for a month and their trend over the twelve months up to it."""
    scopes = figure_scopes_for(request.user)
    if not scopes:
        raise PermissionDenied
    scope = figure_scope_get_for(request.user, request.GET.get("scope"))
    form = FiguresForm(
        request.GET or None, scopes=scopes, initial={"month": f"{last_month():%Y-%m}", "scope": scope.key}
    )
    month = form.cleaned_data["month"] if form.is_valid() else last_month()
    trends = trends_for_page(last=month, scope=scope)
    months = [date.fromisoformat(f"{m}-01") for m in trends["months"]]
    context = {
        "form": form,
        "scope": scope,
        "month": month,
        "month_name": month_label(month),
        "trends": trends,
        "month_columns": [(month_label(m), short_month_label(m)) for m in months],
        "sections": trend_sections(trends, [short_month_label(m) for m in months]),
    }
    return render(request, "reports/figures.html", context)
