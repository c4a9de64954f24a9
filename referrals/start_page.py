"""The start page: one panel for each role the user holds, with read-only figures from the selectors.

Here rather than in accounts, which knows users and roles but nothing of requests (accounts sits below
referrals). The URL is the project's root, named `home` (sot/urls.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.models import Role
from accounts.requests import AuthenticatedHttpRequest
from accounts.selectors import user_scopes
from organisations.models import HealthcareRegion, Region, Unit
from referrals.models import Referral, ReferralStatus
from referrals.selectors import (
    QUEUE_STATUSES,
    handled_by,
    overdue_condition,
    receiving_inbox,
    sot_region_requests,
    status_counts,
    unit_referrals,
    wait_limits,
    waited_too_long_condition,
)

S = ReferralStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User


@dataclass(frozen=True)
class CountLink:
    """One figure of a panel and the list that shows exactly those requests."""

    key: str  # a status, or "mine", "overdue", "waited"
    label: StrOrPromise
    n: int
    href: str


@dataclass
class Panel:
    role: str
    title: StrOrPromise
    places: list[str]
    counts: list[CountLink] = field(default_factory=list)  # per status, as a table
    alerts: list[CountLink] = field(default_factory=list)  # beneath it, when not zero
    total: int = 0


UNIT_STATUSES = (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.PROPOSED, S.ACCEPTED, S.COMPLETED)
SOT_STATUSES = (S.SUBMITTED, S.IN_REVIEW, S.PROPOSED, S.ACCEPTED, S.COMPLETED, S.CLOSED, S.WITHDRAWN)
# The inbox holds what waits for the receiving unit; completed care is on each request's page.
INBOX_SECTIONS = (S.PROPOSED, S.ACCEPTED)


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
    """The panels of the user's roles. Each figure counts the very queryset, with the very condition,
    that the list it links to shows (selectors), so the two cannot differ."""
    scopes = user_scopes(user)
    labels = dict(Role.choices)
    panels: list[Panel] = []

    if scopes.unit_staff_units:
        mine = unit_referrals(user)
        counts = status_counts(mine)
        unit_list = reverse("referrals:list")
        panels.append(
            Panel(
                role=Role.UNIT_STAFF,
                title=labels[Role.UNIT_STAFF],
                places=_unit_names(scopes.unit_staff_units),
                counts=_by_status(counts, UNIT_STATUSES, unit_list),
                alerts=_alerts(mine, {"overdue": overdue_condition(today=today)}, unit_list),
                total=sum(counts.values()),
            )
        )
    if scopes.sot_regions:
        region = sot_region_requests(user)
        counts = status_counts(region)
        queue = reverse("work:queue")
        conditions = {
            "mine": handled_by(user) & Q(status__in=QUEUE_STATUSES),
            "overdue": overdue_condition(today=today),
            "waited": waited_too_long_condition(wait_limits(), today=today),
        }
        panels.append(
            Panel(
                role=Role.SOT_REPRESENTATIVE,
                title=labels[Role.SOT_REPRESENTATIVE],
                places=list(Region.objects.filter(pk__in=scopes.sot_regions).values_list("name", flat=True)),
                counts=_by_status(counts, SOT_STATUSES, queue),
                alerts=_alerts(region, conditions, queue),
                total=sum(counts.values()),
            )
        )
    if scopes.receiving_units:
        counts = status_counts(receiving_inbox(user))
        inbox = reverse("work:inbox")
        panels.append(
            Panel(
                role=Role.RECEIVING_STAFF,
                title=labels[Role.RECEIVING_STAFF],
                places=_unit_names(scopes.receiving_units),
                counts=[CountLink(st, S(st).label, counts[st], f"{inbox}#{st}") for st in INBOX_SECTIONS],
                total=sum(counts.values()),
            )
        )
    if scopes.director_regions or scopes.director_healthcare_regions:
        places = list(Region.objects.filter(pk__in=scopes.director_regions).values_list("name", flat=True))
        places += list(
            HealthcareRegion.objects.filter(pk__in=scopes.director_healthcare_regions).values_list("name", flat=True)
        )
        panels.append(Panel(role=Role.HEALTH_DIRECTOR, title=labels[Role.HEALTH_DIRECTOR], places=places))
    return panels


ALERT_LABELS: dict[str, StrOrPromise] = {
    "mine": gettext_lazy("My requests"),
    "overdue": gettext_lazy("Past the care-guarantee deadline"),
    "waited": gettext_lazy("Waited too long in its status"),
}


def _by_status(counts: dict[str, int], statuses: tuple[str, ...], url: str) -> list[CountLink]:
    return [CountLink(st, S(st).label, counts[st], f"{url}?{urlencode({'status': st})}") for st in statuses]


def _alerts(referrals: QuerySet[Referral], conditions: dict[str, Q], url: str) -> list[CountLink]:
    """The figures beyond the statuses, in one query; each links to the list's filter of the same name."""
    figures = referrals.aggregate(**{key: Count("id", filter=condition) for key, condition in conditions.items()})
    return [CountLink(key, ALERT_LABELS[key], figures[key], f"{url}?{key}=on") for key in conditions]


def _unit_names(unit_ids: Any) -> list[str]:
    return [str(unit) for unit in Unit.objects.filter(pk__in=unit_ids).select_related("hospital")]
