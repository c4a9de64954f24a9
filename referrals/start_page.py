"""The start page: one panel for each role the user holds, with read-only figures from the selectors.

Here rather than in accounts, which knows users and roles but nothing of requests (accounts sits below
referrals). The URL is the project's root, named `home` (sot/urls.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import Role
from accounts.requests import AuthenticatedHttpRequest
from accounts.selectors import user_scopes
from organisations.models import HealthcareRegion, Region, Unit
from referrals.models import ReferralStatus
from referrals.selectors import referrals_visible_to, status_counts

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User


@dataclass
class Panel:
    role: str
    title: StrOrPromise
    places: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@require_GET
@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The start page: one panel for each role the user holds, saying what that role can do."""
    scopes = user_scopes(request.user)
    panels = start_panels(request.user, today=timezone.localdate())
    return render(
        request,
        "referrals/home.html",
        {"panels": panels, "is_administrator": scopes.is_administrator},
    )


def start_panels(user: User, *, today: date) -> list[Panel]:
    scopes = user_scopes(user)
    visible = referrals_visible_to(user)
    labels = dict(Role.choices)
    panels: list[Panel] = []

    if scopes.unit_staff_units:
        mine = visible.filter(sending_unit_id__in=scopes.unit_staff_units)
        panels.append(
            Panel(
                role=Role.UNIT_STAFF,
                title=labels[Role.UNIT_STAFF],
                places=_unit_names(scopes.unit_staff_units),
                counts=status_counts(mine),
                overdue=_overdue(mine, today),
            )
        )
    if scopes.sot_regions:
        queue = visible.filter(sending_unit__hospital__region_id__in=scopes.sot_regions, submitted_at__isnull=False)
        panels.append(
            Panel(
                role=Role.SOT_REPRESENTATIVE,
                title=labels[Role.SOT_REPRESENTATIVE],
                places=list(Region.objects.filter(pk__in=scopes.sot_regions).values_list("name", flat=True)),
                counts=status_counts(queue),
                overdue=_overdue(queue, today),
            )
        )
    if scopes.receiving_units:
        inbox = visible.filter(receiving_unit_id__in=scopes.receiving_units)
        panels.append(
            Panel(
                role=Role.RECEIVING_STAFF,
                title=labels[Role.RECEIVING_STAFF],
                places=_unit_names(scopes.receiving_units),
                counts=status_counts(inbox),
            )
        )
    if scopes.director_regions or scopes.director_healthcare_regions:
        places = list(Region.objects.filter(pk__in=scopes.director_regions).values_list("name", flat=True))
        places += list(
            HealthcareRegion.objects.filter(pk__in=scopes.director_healthcare_regions).values_list("name", flat=True)
        )
        panels.append(Panel(role=Role.HEALTH_DIRECTOR, title=labels[Role.HEALTH_DIRECTOR], places=places))
    return panels


def _unit_names(unit_ids: Any) -> list[str]:
    return [str(unit) for unit in Unit.objects.filter(pk__in=unit_ids).select_related("hospital")]


def _overdue(referrals: Any, today: date) -> int:
    open_statuses = [ReferralStatus.SUBMITTED, ReferralStatus.IN_REVIEW, ReferralStatus.PROPOSED]
    return referrals.filter(status__in=open_statuses, care_guarantee_deadline__lt=today).count()
