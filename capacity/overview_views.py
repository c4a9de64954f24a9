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
from capacity.overview import capacity_overview, overview_groups, overview_offers, overview_regions, overview_weeks
from capacity.overview_forms import CellForm, OverviewFilterForm


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
    region = chosen.get("region")
    return render(request, "capacity/overview.html", {"form": form, "overview": grid, "region": region})


@require_GET
@login_required
def overview_cell(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The offers behind one cell of the overview (a diagnosis group, a week, the region filter): who offers
    how many free slots and how to reach them. Read only; published capacity, no patient: no access log."""
    if not user_scopes(request.user).sot_regions:
        raise PermissionDenied
    form = CellForm(
        request.GET,
        regions=overview_regions(request.user),
        groups=overview_groups(),
        weeks=overview_weeks(timezone.localdate()),
    )
    offers = None
    if form.is_valid():
        offers = list(
            overview_offers(
                request.user,
                diagnosis_group=form.cleaned_data["diagnosis_group"],
                week=form.cleaned_data["week"].monday,
                region=form.cleaned_data["region"],
            )
        )
    context = {"form": form, "offers": offers, "free": sum(offer.free_slots for offer in offers or [])}
    return render(request, "capacity/overview_cell.html", context)
