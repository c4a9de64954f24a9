"""Matching: rank the receiving units that can take one coordination request, and explain the rest.

One function, `rank_receiving_units`, one SQL query: the active offers of the request's diagnosis
group from this week on, aggregated per unit in the database. Everything after that is plain
Python over at most a few hundred rows, so a call stays in the low milliseconds (see `make bench`).

Hard rules: a unit in another region than the sending region; it offers the request's diagnosis
group; it takes the patient's ASA class (IV-E counts as IV: the E is a separate flag); it has a
free slot in a week that has not passed (a week whose Friday has passed is over: care is given
on working days); it lies within the distance the patient can travel (`max_travel_km`; none: anywhere);
its region takes part in SOT today (`organisations.models.taking_part_q`; the others are counted apart).

Ranking, lexicographic, each factor kept on the proposal:
1. timeliness of the first free week: on or before the medical target date, then before the
   care-guarantee deadline, then after it (late is worst);
1b. confirmed capacity before unconfirmed, among units as timely: a unit whose free offers were not all
   confirmed within the administrator's `ConfirmationLimit` comes after the confirmed ones (its numbers
   may be stale), never before a unit that would make the patient later;
2. own healthcare region before the others (the regions' rule: cooperate inside first);
3. the earliest first free week;
4. travel distance, great-circle km from the sending hospital to the receiving hospital;
5. more free slots first (spreads the load);
6. the unit's id, so that equal candidates always come in the same order.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from capacity import exclusions as excluded
from capacity.exclusions import Exclusion, ExclusionKind, within_travel_limit
from capacity.models import CapacityOffer, confirmation_days_expression, confirmation_stale
from capacity.weeks import first_open_week, format_week
from catalog.models import DiagnosisGroup
from organisations.models import Unit, great_circle_km, taking_part_q

# The reason and the mark of a unit whose capacity was not confirmed within the administrator's limit.
REASON_UNCONFIRMED = gettext_lazy("Capacity unconfirmed since %(date)s")
MARK_UNCONFIRMED = gettext_lazy("unconfirmed since %(date)s")


class MatchRequest(Protocol):
    """What matching reads of a coordination request (`referrals.models.Referral` is one). Capacity sits
    below referrals and never imports it: requests come in, offers go out."""

    diagnosis_group_id: int | None
    diagnosis_group: DiagnosisGroup | None
    asa_class: int | None

    @property
    def asa_display(self) -> str: ...

    sending_unit: Unit
    medical_target_date: date | None
    care_guarantee_deadline: date | None
    max_travel_km: int | None


class Timeliness(enum.IntEnum):
    BY_TARGET_DATE = 0
    BY_DEADLINE = 1
    AFTER_DEADLINE = 2


@dataclass(frozen=True)
class Proposal:
    unit_id: int
    unit_name: str
    hospital_name: str
    region_name: str
    first_free_week: date
    free_slots: int
    free_weeks: int
    days_vs_target: int | None  # first free week's Monday minus the target date: negative is early
    days_vs_deadline: int | None
    timeliness: Timeliness
    same_healthcare_region: bool
    distance_km: float
    confirmed_on: date  # the oldest last confirmation among the unit's free offers (a local date)
    unconfirmed: bool  # that confirmation is older than the administrator's limit

    @property
    def sort_key(self) -> tuple:
        return (
            self.timeliness,
            self.unconfirmed,
            not self.same_healthcare_region,
            self.first_free_week,
            round(self.distance_km, 1),
            -self.free_slots,
            self.unit_id,
        )

    @property
    def reasons(self) -> list[str]:
        week = format_week(self.first_free_week)
        reasons = [_("First free week %(week)s (from %(date)s)") % {"week": week, "date": self.first_free_week}]
        if self.days_vs_target is not None:
            reasons.append(_relative(self.days_vs_target, _("the medical target date")))
        if self.days_vs_deadline is not None:
            reasons.append(_relative(self.days_vs_deadline, _("the care-guarantee deadline")))
        reasons.append(_("Same healthcare region") if self.same_healthcare_region else _("Another healthcare region"))
        reasons.append(_("%(km)s km away") % {"km": round(self.distance_km)})
        reasons.append(
            ngettext(
                "%(n)s free slot in %(weeks)s week",
                "%(n)s free slots in %(weeks)s weeks",
                self.free_slots,
            )
            % {"n": self.free_slots, "weeks": self.free_weeks}
        )
        if self.unconfirmed:
            reasons.append(REASON_UNCONFIRMED % {"date": self.confirmed_on.isoformat()})
        return reasons

    @property
    def unconfirmed_marker(self) -> str:
        """The mark beside the unit's name ("obekräftad sedan 2026-11-02"), empty when confirmed."""
        return MARK_UNCONFIRMED % {"date": self.confirmed_on.isoformat()} if self.unconfirmed else ""


def _relative(days: int, what: str) -> str:
    if days < 0:
        return ngettext("%(n)s day before %(what)s", "%(n)s days before %(what)s", -days) % {"n": -days, "what": what}
    if days == 0:
        return _("On %(what)s") % {"what": what}
    return ngettext("%(n)s day after %(what)s", "%(n)s days after %(what)s", days) % {"n": days, "what": what}


@dataclass(frozen=True)
class EarlierDecline:
    """A unit that declined this request before (the requests' history says so; matching is told)."""

    unit_id: int
    unit_name: str
    hospital_name: str
    region_name: str
    on: date
    reason: str


@dataclass(frozen=True)
class DeclinedUnit:
    """A unit left out of the ranking because it declined the request, with the proposal it would have had."""

    decline: EarlierDecline
    proposal: Proposal | None

    @property
    def unit_id(self) -> int:
        return self.decline.unit_id

    @property
    def on(self) -> date:
        return self.decline.on


@dataclass(frozen=True)
class MatchResult:
    proposals: list[Proposal] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    declined: list[DeclinedUnit] = field(default_factory=list)  # latest decline first


def rank_receiving_units(
    referral: MatchRequest, *, today: date | None = None, declined: Sequence[EarlierDecline] = ()
) -> MatchResult:
    """Ranked proposals for one request, and why every other offering unit is left out.

    A unit in `declined` declined the request before: it is never ranked (proposing it again takes a
    written reason) but listed apart, with the proposal it would have had.

    The request must come with `sending_unit__hospital__region` loaded (the selectors do that);
    the call then makes exactly one query.
    """
    today = today or timezone.localdate()
    if referral.diagnosis_group_id is None or referral.asa_class is None:
        message = _("The request needs a diagnosis group and an ASA class before units can be matched.")
        return MatchResult(
            exclusions=[Exclusion(ExclusionKind.INCOMPLETE, 0, message)], declined=_declined([], declined)
        )

    this_week = first_open_week(today)
    asa = referral.asa_class
    sending_hospital = referral.sending_unit.hospital
    sending_region_id = sending_hospital.region_id
    sending_healthcare_region_id = sending_hospital.region.healthcare_region_id
    fits = Q(max_asa__gte=asa, reserved_slots__lt=F("slots"))
    rows = (
        CapacityOffer.objects.active()
        .filter(diagnosis_group_id=referral.diagnosis_group_id, week_start__gte=this_week)
        .values(
            "unit_id",
            "unit__name",
            "unit__hospital__name",
            "unit__hospital__latitude",
            "unit__hospital__longitude",
            "unit__hospital__region_id",
            "unit__hospital__region__name",
            "unit__hospital__region__healthcare_region_id",
            takes_part=ExpressionWrapper(taking_part_q("unit__hospital__region__", on=today), BooleanField()),
        )
        .annotate(
            first_free_week=Min("week_start", filter=fits),
            free_slots=Sum(F("slots") - F("reserved_slots"), filter=fits),
            free_weeks=Count("id", filter=fits),
            highest_asa=Max("max_asa"),
            last_week=Max("week_start"),
            oldest_confirmation=Min("confirmed_at", filter=fits),
            confirmation_days=confirmation_days_expression(),
        )
        .order_by()
    )

    proposals: list[Proposal] = []
    own_region = too_far = outside_sot = 0
    too_low: list[int] = []
    full: list[date] = []
    for row in rows:
        if row["unit__hospital__region_id"] == sending_region_id:
            own_region += 1
        elif not row["takes_part"]:
            outside_sot += 1
        elif not within_travel_limit(referral.max_travel_km, _distance(sending_hospital, row)):
            too_far += 1
        elif row["free_weeks"]:
            proposals.append(_proposal(row, referral, sending_hospital, sending_healthcare_region_id, today))
        elif row["highest_asa"] < asa:
            too_low.append(row["highest_asa"])
        else:
            full.append(row["last_week"])
    proposals.sort(key=lambda p: p.sort_key)
    offered = max(len(proposals), too_far, outside_sot) > 0
    exclusions = excluded.exclusions(referral, this_week, own_region, too_low, full, offered_elsewhere=offered)
    exclusions += excluded.too_far(too_far) + excluded.not_taking_part(outside_sot)
    return MatchResult(
        proposals=[p for p in proposals if p.unit_id not in {d.unit_id for d in declined}],
        exclusions=exclusions,
        declined=_declined(proposals, declined),
    )


def _declined(proposals: list[Proposal], declined: Sequence[EarlierDecline]) -> list[DeclinedUnit]:
    by_unit = {p.unit_id: p for p in proposals}
    latest = sorted(declined, key=lambda d: d.on, reverse=True)
    return [DeclinedUnit(decline=d, proposal=by_unit.get(d.unit_id)) for d in latest]


def _proposal(
    row: dict, referral: MatchRequest, sending_hospital: Any, sending_healthcare_region_id: int, today: date
) -> Proposal:
    week: date = row["first_free_week"]
    confirmed_on = timezone.localdate(row["oldest_confirmation"])
    target, deadline = referral.medical_target_date, referral.care_guarantee_deadline
    if target is not None and week <= target:
        timeliness = Timeliness.BY_TARGET_DATE
    elif deadline is None or week <= deadline:
        timeliness = Timeliness.BY_DEADLINE
    else:
        timeliness = Timeliness.AFTER_DEADLINE
    return Proposal(
        unit_id=row["unit_id"],
        unit_name=row["unit__name"],
        hospital_name=row["unit__hospital__name"],
        region_name=row["unit__hospital__region__name"],
        first_free_week=week,
        free_slots=row["free_slots"],
        free_weeks=row["free_weeks"],
        days_vs_target=(week - target).days if target else None,
        days_vs_deadline=(week - deadline).days if deadline else None,
        timeliness=timeliness,
        same_healthcare_region=row["unit__hospital__region__healthcare_region_id"] == sending_healthcare_region_id,
        distance_km=_distance(sending_hospital, row),
        confirmed_on=confirmed_on,
        unconfirmed=confirmation_stale(confirmed_on, today=today, days=row["confirmation_days"]),
    )


def _distance(hospital: Any, row: dict) -> float:
    there = float(row["unit__hospital__latitude"]), float(row["unit__hospital__longitude"])
    return great_circle_km(float(hospital.latitude), float(hospital.longitude), *there)
