"""The settlement files page: the pairs of regions a director may settle, and their files."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.requests import AuthenticatedHttpRequest
from reports.months import month_label
from settlement import files
from settlement.selectors import may_see_settlements, pair_get_for, pairs_visible_to

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ERROR_MONTH = _("Write a month as YYYY-MM, for example 2026-10.")


def parse_month(value: str) -> date | None:
    try:
        month = date.fromisoformat(f"{value}-01")
    except ValueError:
        return None
    return month if len(value) == 7 else None


class MonthForm(forms.Form):
    month = forms.CharField(label=_("Month"), max_length=7, widget=forms.TextInput(attrs={"type": "month"}))

    def clean_month(self) -> date:
        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError(ERROR_MONTH)
        return month


def last_month() -> date:
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)


@require_GET
@login_required
def settlement_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_see_settlements(request.user):
        raise PermissionDenied
    form = MonthForm(request.GET if "month" in request.GET else {"month": f"{last_month():%Y-%m}"})
    month = form.cleaned_data["month"] if form.is_valid() else None
    pairs = pairs_visible_to(request.user, month=month) if month else []
    context = {"form": form, "month": month, "month_label": month_label(month) if month else "", "pairs": pairs}
    return render(request, "settlement/list.html", context)


@require_GET
@login_required
def settlement_download(
    request: AuthenticatedHttpRequest, month: str, sending: str, receiving: str, fmt: str
) -> HttpResponse:
    if not may_see_settlements(request.user):
        raise PermissionDenied
    when = parse_month(month)
    if when is None or fmt not in files.FORMATS:
        raise Http404
    pair = pair_get_for(request.user, month=when, sending_code=sending, receiving_code=receiving)
    body = files.to_csv(pair, when) if fmt == "csv" else files.to_xlsx(pair, when)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{files.filename(pair, when, fmt)}"'
    return response
