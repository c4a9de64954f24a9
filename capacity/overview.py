"""The capacity overview for SOT representatives: free slots per diagnosis group and ISO week in the
other regions, without opening a request. Aggregates of published capacity only: no patient data.

Two queries whatever the size of the grid: the free slots summed per (group, week) in the database,
and the diagnosis groups that make the rows (read once, for the filter too); and the regions to filter by.
Each cell with an offer links to the offers behind it (`overview_offers`): the units, their free slots and
their phone, for the same readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, F, QuerySet, Sum
from django.utils import timezone

from accounts.selectors import user_scopes
from capacity.models import CapacityOffer
from capacity.weeks import first_open_week, format_week
from catalog.models import DiagnosisGroup
from organisations.models import Region, taking_part_q

if TYPE_CHECKING:
    from accounts.models import User

OVERVIEW_WEEKS = 12


@dataclass(frozen=True)
class Week:
    monday: date
    label: str


@dataclass(frozen=True)
class Cell:
    week: date
    free: int | None  # None: no unit offers the group that week; 0: offered, all reserved
    units: int = 0


@dataclass(frozen=True)
class Row:
    group: DiagnosisGroup
    cells: list[Cell]

    @property
    def total(self) -> int:
        return sum(cell.free or 0 for cell in self.cells)


@dataclass(frozen=True)
class Overview:
    weeks: list[Week]
    rows: list[Row]


def overview_regions(user: User) -> list[Region]:
    """The regions whose capacity the user may look at: every region taking part in SOT but their own SOT
    regions (the others' capacity cannot be proposed)."""
    return list(
        Region.objects.taking_part(on=timezone.localdate())
        .exclude(pk__in=user_scopes(user).sot_regions)
        .select_related("healthcare_region")
        .order_by("healthcare_region__name", "name")
    )


def overview_groups() -> list[DiagnosisGroup]:
    """Every diagnosis group, the inactive ones too: an offer may outlive its group's retirement."""
    return list(DiagnosisGroup.objects.order_by("sort_order", "name"))


def overview_weeks(today: date, *, count: int = OVERVIEW_WEEKS) -> list[Week]:
    """The weeks shown: from the first week not over (as matching counts it), `count` of them."""
    first = first_open_week(today)
    mondays = [first + timedelta(weeks=n) for n in range(count)]
    return [Week(monday=monday, label=format_week(monday)) for monday in mondays]


def capacity_overview(
    user: User,
    *,
    today: date,
    groups: list[DiagnosisGroup],
    region: Region | None = None,
    diagnosis_group: DiagnosisGroup | None = None,
) -> Overview:
    """Free slots (slots − reserved) of active offers of units outside the user's SOT regions, in regions
    taking part in SOT, per
    diagnosis group (rows: the active `groups`, and any other that is offered) and week (columns);
    optionally of one region and one group only."""
    weeks = overview_weeks(today)
    offers = (
        CapacityOffer.objects.active()
        .filter(week_start__gte=weeks[0].monday, week_start__lte=weeks[-1].monday, unit__is_active=True)
        .filter(taking_part_q("unit__hospital__region__", on=today))
        .exclude(unit__hospital__region_id__in=user_scopes(user).sot_regions)
    )
    if region is not None:
        offers = offers.filter(unit__hospital__region=region)
    if diagnosis_group is not None:
        offers = offers.filter(diagnosis_group=diagnosis_group)
    sums = {
        (row["diagnosis_group_id"], row["week_start"]): Cell(
            week=row["week_start"], free=row["free"], units=row["units"]
        )
        for row in offers.order_by()
        .values("diagnosis_group_id", "week_start")
        .annotate(free=Sum(F("slots") - F("reserved_slots")), units=Count("unit_id", distinct=True))
    }
    offered = {group_id for group_id, _week in sums}
    shown = [group for group in groups if group.is_active or group.pk in offered]
    if diagnosis_group is not None:
        shown = [group for group in shown if group.pk == diagnosis_group.pk]
    rows = [
        Row(
            group=group,
            cells=[sums.get((group.pk, week.monday), Cell(week=week.monday, free=None)) for week in weeks],
        )
        for group in shown
    ]
    return Overview(weeks=weeks, rows=rows)


def overview_offers(
    user: User, *, diagnosis_group: DiagnosisGroup, week: date, region: Region | None = None
) -> QuerySet[CapacityOffer]:
    """The offers behind one cell of the overview: the same rule (active offers of active units of regions
    taking part, outside the user's SOT regions), one group and one week, optionally one region; by region,
    hospital and unit."""
    offers = (
        CapacityOffer.objects.active()
        .filter(diagnosis_group=diagnosis_group, week_start=week, unit__is_active=True)
        .filter(taking_part_q("unit__hospital__region__", on=timezone.localdate()))
        .exclude(unit__hospital__region_id__in=user_scopes(user).sot_regions)
        .select_related("unit__hospital__region__healthcare_region", "diagnosis_group")
        .order_by("unit__hospital__region__name", "unit__hospital__name", "unit__name", "care_type")
    )
    if region is not None:
        offers = offers.filter(unit__hospital__region=region)
    return offers
