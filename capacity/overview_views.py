"""The capacity overview page for SOT representatives (capacity/overview.py builds the grid)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.requests import AuthenticatedHttpRequest
from accounts.selectors import user_scopes
from capacity.overview import capacity_overview, overview_groups, overview_regions
from capacity.overview_forms import OverviewFilterForm


@require_GET
@login_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """No access log: the page shows capacity summed per group and week, never a request or a patient."""
    if not user_scopes(request.user).sot_regions:
        raise PermissionDenied
    groups = overview_groups()
    form = OverviewFilterForm(request.GET or None, regions=overview_regions(request.user), groups=groups)
    # A filter that does not validate (a region that is the user's own, a group that does not exist) is
    # shown with its error next to the field; cleaned_data then lacks it, so the table ignores it.
    chosen: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # fills cleaned_data with the fields that validate
        chosen = form.cleaned_data
    grid = capacity_overview(
        request.user,
        today=timezone.localdate(),
        groups=groups,
        region=chosen.get("region"),
        diagnosis_group=chosen.get("diagnosis_group"),
    )
    return render(request, "capacity/overview.html", {"form": form, "overview": grid})
