"""Who sees which reports: directors their region or healthcare region (and the regions in it);
administrators all. Reports hold aggregates only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from accounts.selectors import user_scopes
from organisations.models import HealthcareRegion, Region
from reports.models import MonthlyReport
from reports.scopes import ALL, Scope

if TYPE_CHECKING:
    from accounts.models import User


def scopes_for(user: User) -> list[Scope]:
    scopes = user_scopes(user)
    result: list[Scope] = []
    if scopes.is_administrator:
        result.append(Scope(ALL))
        result += [Scope("healthcare_region", healthcare_region=hr) for hr in HealthcareRegion.objects.all()]
        result += [Scope("region", region=r) for r in Region.objects.all()]
        return result
    for hr in HealthcareRegion.objects.filter(pk__in=scopes.director_healthcare_regions):
        result.append(Scope("healthcare_region", healthcare_region=hr))
    regions = Region.objects.filter(pk__in=scopes.director_regions) | Region.objects.filter(
        healthcare_region_id__in=scopes.director_healthcare_regions
    )
    result += [Scope("region", region=r) for r in regions.distinct().order_by("name")]
    return result


def reports_visible_to(user: User) -> QuerySet[MonthlyReport]:
    keys = [scope.key for scope in scopes_for(user)]
    return MonthlyReport.objects.filter(scope_key__in=keys).order_by("-month", "scope_key")


def report_get_for(user: User, *, pk: int) -> MonthlyReport:
    report = reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def figure_scopes_for(user: User) -> list[Scope]:
    """The scopes of the figures page: a director's (as for reports), and an SOT representative's regions."""
    result = scopes_for(user)
    keys = {scope.key for scope in result}
    sot_regions = Region.objects.filter(pk__in=user_scopes(user).sot_regions).order_by("name")
    result += [Scope("region", region=r) for r in sot_regions if f"region:{r.code}" not in keys]
    return result


def figure_scope_get_for(user: User, key: str | None) -> Scope:
    """The scope with `key` among the user's (the first one when no key is given); 404 for any other."""
    scopes = figure_scopes_for(user)
    if not key:
        return scopes[0]
    for scope in scopes:
        if scope.key == key:
            return scope
    raise Http404
