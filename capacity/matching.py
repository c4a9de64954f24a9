"""Matching: rank the receiving units that can take one coordination request, and explain the rest.

One function, `rank_receiving_units`, one SQL query (`capacity.candidates`): the database aggregates the
active offers of the request's diagnosis group from this week on per unit, applies the hard rules, ranks
the units that pass them by the whole sort key below and returns the best `TOP_N` of them, with the units
each rule leaves out counted. Python then words the reasons of at most `TOP_N` proposals (and of the units
asked for by id), so the cost of a call does not grow with the number of units that can take the patient
(see `make bench`).

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
4. travel distance, great-circle km from the sending hospital to the receiving hospital, to 0.1 km;
5. more free slots first (spreads the load);
6. the unit's id, so that equal candidates always come in the same order.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from capacity import candidates
from capacity import exclusions as excluded
from capacity.candidates import Candidate
from capacity.exclusions import Exclusion, ExclusionKind
from capacity.models import confirmation_stale
from capacity.weeks import first_open_week, format_week
from catalog.models import DiagnosisGroup
from organisations.models import Unit, great_circle_km

# The reason and the mark of a unit whose capacity was not confirmed within the administrator's limit.
REASON_UNCONFIRMED = gettext_lazy("Capacity unconfirmed since %(date)s")
MARK_UNCONFIRMED = gettext_lazy("unconfirmed since %(date)s")

# How many ranked units one call returns: the pages show the best ten and say how many more there are.
TOP_N = 25


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
    proposals: list[Proposal] = field(default_factory=list)  # the best TOP_N, best first (and any asked for)
    exclusions: list[Exclusion] = field(default_factory=list)
    declined: list[DeclinedUnit] = field(default_factory=list)  # latest decline first
    ranked_units: int = 0  # how many units the ranking holds (declined ones apart): more than TOP_N is "more"

    @property
    def more(self) -> int:
        """Ranked units not in `proposals`: the page says how many there are."""
        return max(self.ranked_units - len(self.proposals), 0)


def rank_receiving_units(
    referral: MatchRequest,
    *,
    today: date | None = None,
    declined: Sequence[EarlierDecline] = (),
    units: Collection[int] = (),
) -> MatchResult:
    """The best `TOP_N` proposals for one request, and why every other offering unit is left out.

    A unit in `declined` declined the request before: it is never ranked (proposing it again takes a
    written reason) but listed apart, with the proposal it would have had. A unit in `units` (the one a
    representative chose) is in `proposals` wherever it ranks, if it is ranked at all.

    The request must come with `sending_unit__hospital__region` loaded (the selectors do that);
    the call then makes exactly one query, whatever the number of units (`capacity.candidates`).
    """
    today = today or timezone.localdate()
    if referral.diagnosis_group_id is None or referral.asa_class is None:
        message = _("The request needs a diagnosis group and an ASA class before units can be matched.")
        return MatchResult(
            exclusions=[Exclusion(ExclusionKind.INCOMPLETE, 0, message)], declined=_declined([], declined)
        )

    this_week = first_open_week(today)
    sending_hospital = referral.sending_unit.hospital
    rows = candidates.fetch(
        group_id=referral.diagnosis_group_id,
        this_week=this_week,
        today=today,
        asa=referral.asa_class,
        sending_hospital=sending_hospital,
        sending_region=sending_hospital.region,
        max_travel_km=referral.max_travel_km,
        target=referral.medical_target_date,
        deadline=referral.care_guarantee_deadline,
        declined={d.unit_id for d in declined},
        wanted=units,
        limit=TOP_N,
    )
    by_category = {row.category: row for row in rows if row.category != candidates.RANKED}
    ranked = _once([row for row in rows if row.category == candidates.RANKED])
    proposals = [_proposal(row, referral, sending_hospital, today) for row in ranked]

    def units_in(kind: ExclusionKind) -> int:
        row = by_category.get(kind.value)
        return row.category_units if row else 0

    too_low, full = by_category.get(ExclusionKind.ASA.value), by_category.get(ExclusionKind.FULL.value)
    outside_sot = units_in(ExclusionKind.NOT_TAKING_PART)
    offered = max(ranked[0].category_units if ranked else 0, units_in(ExclusionKind.TOO_FAR), outside_sot) > 0
    exclusions = excluded.exclusions(
        referral,
        this_week,
        own_region=units_in(ExclusionKind.OWN_REGION),
        too_low=too_low.category_units if too_low else 0,
        highest_asa=too_low.category_highest_asa if too_low else 0,
        full=full.category_units if full else 0,
        last_week=full.category_last_week if full else this_week,
        offered_elsewhere=offered,
    )
    exclusions += excluded.too_far(units_in(ExclusionKind.TOO_FAR)) + excluded.not_taking_part(outside_sot)
    shown = [p for row, p in zip(ranked, proposals, strict=True) if not row.declined]
    ranked_units = ranked[0].ranked_units if ranked else 0
    return MatchResult(
        proposals=shown,
        exclusions=exclusions,
        declined=_declined([p for row, p in zip(ranked, proposals, strict=True) if row.declined], declined),
        ranked_units=ranked_units,
    )


def _once(rows: list[Candidate]) -> list[Candidate]:
    """The top first, then the units asked for: a unit that is both keeps its first row."""
    seen: set[int] = set()
    kept = []
    for row in rows:
        if row.unit_id not in seen:
            seen.add(row.unit_id)
            kept.append(row)
    return kept


def _declined(proposals: list[Proposal], declined: Sequence[EarlierDecline]) -> list[DeclinedUnit]:
    by_unit = {p.unit_id: p for p in proposals}
    latest = sorted(declined, key=lambda d: d.on, reverse=True)
    return [DeclinedUnit(decline=d, proposal=by_unit.get(d.unit_id)) for d in latest]


def _proposal(row: Candidate, referral: MatchRequest, sending_hospital: Any, today: date) -> Proposal:
    week, confirmed, free_slots = row.first_free_week, row.oldest_confirmation, row.free_slots
    if week is None or confirmed is None or free_slots is None:  # never for a ranked unit: it has a free week
        raise ValueError(row.unit_id)
    confirmed_on = timezone.localdate(confirmed)
    target, deadline = referral.medical_target_date, referral.care_guarantee_deadline
    if target is not None and week <= target:
        timeliness = Timeliness.BY_TARGET_DATE
    elif deadline is None or week <= deadline:
        timeliness = Timeliness.BY_DEADLINE
    else:
        timeliness = Timeliness.AFTER_DEADLINE
    return Proposal(
        unit_id=row.unit_id,
        unit_name=row.unit_name,
        hospital_name=row.hospital_name,
        region_name=row.region_name,
        first_free_week=week,
        free_slots=free_slots,
        free_weeks=row.free_weeks,
        days_vs_target=(week - target).days if target else None,
        days_vs_deadline=(week - deadline).days if deadline else None,
        timeliness=timeliness,
        same_healthcare_region=row.healthcare_region_id == sending_hospital.region.healthcare_region_id,
        distance_km=great_circle_km(
            float(sending_hospital.latitude), float(sending_hospital.longitude), row.latitude, row.longitude
        ),
        confirmed_on=confirmed_on,
        unconfirmed=confirmation_stale(confirmed_on, today=today, days=row.confirmation_days),
    )
