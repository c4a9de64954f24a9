"""Who sees and who changes which action plans. Built on accounts.selectors.user_scopes.

- An SOT representative sees and changes the plans of their regions, and sees the plans of those
  regions' healthcare regions.
- A health director of a region: the same for that region. A health director of a healthcare region sees
  and changes the healthcare region's plans and the plans of the regions in it.
- Everyone else has no access (403); a plan outside the user's places is not found (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.selectors import user_scopes
from actionplans.models import ActionPlan, ActionPlanStatusChange
from organisations.models import HealthcareRegion, Region
from referrals.models import Obstacle, ObstacleCategory

if TYPE_CHECKING:
    from datetime import datetime

    from accounts.models import User


OBSTACLES_SINCE_DAYS = 365


@dataclass(frozen=True)
class Places:
    edit_regions: frozenset[int]
    edit_healthcare_regions: frozenset[int]
    see_healthcare_regions: frozenset[int]

    @property
    def any(self) -> bool:
        return bool(self.edit_regions or self.edit_healthcare_regions)


def places_of(user: User) -> Places:
    scopes = user_scopes(user)
    own_regions = scopes.sot_regions | scopes.director_regions
    in_healthcare_regions = Region.objects.filter(healthcare_region_id__in=scopes.director_healthcare_regions)
    edit_regions = own_regions | frozenset(in_healthcare_regions.values_list("pk", flat=True))
    parents = frozenset(Region.objects.filter(pk__in=own_regions).values_list("healthcare_region_id", flat=True))
    return Places(
        edit_regions=frozenset(edit_regions),
        edit_healthcare_regions=scopes.director_healthcare_regions,
        see_healthcare_regions=parents | scopes.director_healthcare_regions,
    )


def has_access(user: User) -> bool:
    return places_of(user).any


def plans_visible_to(user: User) -> QuerySet[ActionPlan]:
    places = places_of(user)
    return (
        ActionPlan.objects.filter(
            Q(region_id__in=places.edit_regions) | Q(healthcare_region_id__in=places.see_healthcare_regions)
        )
        .select_related("region", "healthcare_region")
        .order_by("category", "title", "id")
    )


def plan_get_for(user: User, *, pk: int) -> ActionPlan:
    plan = plans_visible_to(user).filter(pk=pk).select_related("created_by", "updated_by").first()
    if plan is None:
        raise Http404
    return plan


def can_change(user: User, plan: ActionPlan) -> bool:
    places = places_of(user)
    if plan.region_id is not None:
        return plan.region_id in places.edit_regions
    return plan.healthcare_region_id in places.edit_healthcare_regions


def places_to_choose(user: User) -> list[tuple[str, str]]:
    """(key, name) of each place the user may create a plan for: healthcare regions first."""
    places = places_of(user)
    choices = [
        (f"healthcare_region:{hr.pk}", hr.name)
        for hr in HealthcareRegion.objects.filter(pk__in=places.edit_healthcare_regions).order_by("name")
    ]
    choices += [(f"region:{r.pk}", r.name) for r in Region.objects.filter(pk__in=places.edit_regions).order_by("name")]
    return choices


def history_of(plan: ActionPlan) -> QuerySet[ActionPlanStatusChange]:
    return plan.status_changes.select_related("changed_by").order_by("-date", "-changed_at", "-id")


def plans_by_category(plans: QuerySet[ActionPlan]) -> dict[str, list[ActionPlan]]:
    """The plans grouped by their obstacle category's value."""
    grouped: dict[str, list[ActionPlan]] = {}
    for plan in plans:
        grouped.setdefault(plan.category, []).append(plan)
    return grouped


def categories_with_plans(user: User, *, since: datetime | None = None) -> list[dict]:
    """Every obstacle category in the user's places: how many obstacles were recorded since `since`
    (by default the last 12 months)
    (a count, never a text: directors read aggregates), and its plans. Categories with neither are left out."""
    since = since or timezone.now() - timedelta(days=OBSTACLES_SINCE_DAYS)
    places = places_of(user)
    region_ids = places.edit_regions | frozenset(
        Region.objects.filter(healthcare_region_id__in=places.see_healthcare_regions).values_list("pk", flat=True)
    )
    counts = dict(
        Obstacle.objects.filter(region_id__in=region_ids, created_at__gte=since)
        .values_list("category")
        .annotate(n=Count("id"))
        .order_by()
    )
    grouped = plans_by_category(plans_visible_to(user))
    return [
        {"value": value, "label": label, "obstacles": counts.get(value, 0), "plans": grouped.get(value, [])}
        for value, label in ObstacleCategory.choices
        if counts.get(value) or grouped.get(value)
    ]


def plans_at(*, region: Region | None, healthcare_region: HealthcareRegion | None, day: date) -> list[dict]:
    """The plans of a report's scope that existed on `day`, each with the status in force then (the latest
    history entry dated on or before it). A region's report also lists its healthcare region's plans; a
    healthcare region's report the plans of its regions; the report of all regions every plan."""
    if region:
        plans = ActionPlan.objects.filter(Q(region=region) | Q(healthcare_region_id=region.healthcare_region_id))
    elif healthcare_region:
        plans = ActionPlan.objects.filter(
            Q(healthcare_region=healthcare_region) | Q(region__healthcare_region=healthcare_region)
        )
    else:
        plans = ActionPlan.objects.all()
    plans = plans.select_related("region", "healthcare_region").order_by("category", "title", "id")
    in_force: dict[int, ActionPlanStatusChange] = {}
    changes = ActionPlanStatusChange.objects.filter(plan__in=plans, date__lte=day).order_by("date", "changed_at", "id")
    for change in changes:
        in_force[change.plan_id] = change  # later entries replace earlier ones
    return [{"plan": plan, "change": in_force[plan.pk]} for plan in plans if plan.pk in in_force]
