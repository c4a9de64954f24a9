"""What a group plan reads: the waiting requests of one region and diagnosis group, and the free offers of the
group in other regions over the horizon, as the arrays of `graph.Instance`. Six queries, whatever the size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db.models import F

from capacity.models import CapacityOffer
from capacity.weeks import first_open_week
from catalog.models import DiagnosisGroup, MedicalPriority
from organisations.models import Hospital, Region, Unit, taking_part_q
from planning.costs import HORIZON_WEEKS
from planning.graph import Instance
from referrals.models import EventKind, Referral, ReferralEvent, ReferralStatus

WAITING = (ReferralStatus.SUBMITTED, ReferralStatus.IN_REVIEW)


@dataclass(frozen=True)
class Scope:
    """What to plan: a region's waiting requests of one group, optionally of one priority, hospital or unit."""

    region: Region
    group: DiagnosisGroup
    priority: MedicalPriority | None = None
    hospital: Hospital | None = None
    unit: Unit | None = None


@dataclass(frozen=True)
class Data:
    instance: Instance
    first_week: date
    request_ids: list[int]
    references: list[str]
    asa: list[int]
    limits: list[int | None]
    offer_ids: list[int]
    offer_unit_codes: list[str]
    offer_weeks: list[date]


def waiting_requests(scope: Scope) -> Any:
    requests = Referral.objects.filter(
        status__in=WAITING, sending_unit__hospital__region=scope.region, diagnosis_group=scope.group
    )
    if scope.priority is not None:
        requests = requests.filter(priority=scope.priority)
    if scope.hospital is not None:
        requests = requests.filter(sending_unit__hospital=scope.hospital)
    if scope.unit is not None:
        requests = requests.filter(sending_unit=scope.unit)
    return requests.order_by("reference")


def priority_weights() -> dict[int | None, int]:
    """The number of priorities ranked at or below each (the last is 1); a request without one weighs 1."""
    ids = list(MedicalPriority.objects.order_by("-sort_order").values_list("pk", flat=True))
    return {None: 1, **{pk: i + 1 for i, pk in enumerate(ids)}}


def declined_units(requests: Any) -> dict[int, frozenset[int]]:
    """The units that declined each request: a decline ends the proposal before it (`referrals.proposals`)."""
    events = (
        ReferralEvent.objects.filter(referral__in=requests, kind__in=(EventKind.PROPOSED, EventKind.DECLINED))
        .order_by("referral_id", "at", "id")
        .values_list("referral_id", "kind", "receiving_unit_id")
    )
    found: dict[int, set[int]] = {}
    proposed: dict[int, int | None] = {}
    for referral_id, kind, unit_id in events.iterator(chunk_size=5000):
        if kind == EventKind.PROPOSED:
            proposed[referral_id] = unit_id
        elif proposed.get(referral_id) is not None:
            found.setdefault(referral_id, set()).add(proposed.pop(referral_id) or 0)
    return {pk: frozenset(units) for pk, units in found.items()}


def read(scope: Scope, *, today: date) -> Data:
    first = first_open_week(today)
    rows = list(
        waiting_requests(scope).values_list(
            "pk",
            "reference",
            "asa_class",
            "max_travel_km",
            "medical_target_date",
            "care_guarantee_deadline",
            "priority_id",
            "sending_unit__hospital_id",
        )
    )
    offers = list(
        CapacityOffer.objects.active()
        .filter(
            taking_part_q("unit__hospital__region__", on=today),  # as matching: only regions taking part
            diagnosis_group=scope.group,
            week_start__gte=first,
            week_start__lt=first + timedelta(weeks=HORIZON_WEEKS),
            reserved_slots__lt=F("slots"),
        )
        .exclude(unit__hospital__region=scope.region)
        .order_by("week_start", "unit_id", "pk")
        .values_list("pk", "unit_id", "week_start", "slots", "reserved_slots", "max_asa")
    )
    # Places once per unit and hospital, not per row: a few hundred coordinates instead of tens of thousands.
    units = {
        pk: (code, hospital)
        for pk, code, hospital in Unit.objects.filter(pk__in={o[1] for o in offers}).values_list(
            "pk", "code", "hospital_id"
        )
    }
    hospitals = {
        row[0]: row[1:]
        for row in Hospital.objects.filter(
            pk__in={h for _c, h in units.values()} | {row[7] for row in rows}
        ).values_list("pk", "latitude", "longitude", "region_id", "region__healthcare_region_id")
    }
    declines = declined_units(waiting_requests(scope).values("pk")) if rows else {}
    return _arrays(scope, first, rows, _offer_columns(offers, units, hospitals, first), hospitals, declines)


def _columns(rows: list, width: int) -> list[list]:
    """Rows of a values_list as columns (empty ones for no rows)."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


def _ints(values: Any) -> np.ndarray:
    return np.array(list(values), dtype=np.int64)


def _floats(values: Any) -> np.ndarray:
    return np.array(list(values), dtype=np.float64)


def _offer_columns(offers: list, units: dict, hospitals: dict, first: date) -> dict[str, Any]:
    ids, unit_ids, mondays, slots, reserved, max_asa = _columns(offers, 6)
    lat, lon, region, healthcare_region = _columns([hospitals[units[u][1]] for u in unit_ids], 4)
    return {
        "id": ids,
        "code": [units[u][0] for u in unit_ids],
        "monday": mondays,
        "arrays": {
            "offer_unit": _ints(unit_ids),
            "offer_week": (_ints(d.toordinal() for d in mondays) - first.toordinal()) // 7,
            "offer_free": _ints(slots) - _ints(reserved),
            "offer_max_asa": _ints(max_asa),
            "offer_lat": _floats(lat),
            "offer_lon": _floats(lon),
            "offer_region": _ints(region),
            "offer_healthcare_region": _ints(healthcare_region),
        },
    }


def _class_arrays(scope: Scope, keys: list[tuple], hospitals: dict) -> dict[str, Any]:
    """Per class (sending hospital, ASA class, travel limit, units that declined), its arrays."""
    hospital_ids, asa, limits, declined = _columns(keys, 4)
    return {
        "class_lat": _floats(float(hospitals[h][0]) for h in hospital_ids),
        "class_lon": _floats(float(hospitals[h][1]) for h in hospital_ids),
        "class_asa": _ints(asa),
        "class_limit": _floats(float("inf") if km is None else float(km) for km in limits),
        "class_region": np.full(len(keys), scope.region.pk, dtype=np.int64),
        "class_healthcare_region": np.full(len(keys), scope.region.healthcare_region_id, dtype=np.int64),
        "declined": tuple((k, unit) for k, units in enumerate(declined) for unit in sorted(units)),
    }


def _arrays(
    scope: Scope, first: date, rows: list, offers: dict[str, Any], hospitals: dict, declines: dict[int, frozenset[int]]
) -> Data:
    ids, references, asa, limits, targets, deadlines, priorities, hospital_ids = _columns(rows, 8)
    weights = priority_weights()
    classes: dict[tuple, int] = {}
    request_class = [
        classes.setdefault(key, len(classes))
        for key in zip(hospital_ids, asa, limits, (declines.get(pk, frozenset()) for pk in ids), strict=True)
    ]
    instance = Instance(
        weeks=HORIZON_WEEKS,
        first_day=first.toordinal(),
        request_class=_ints(request_class),
        weight=_ints(weights.get(p, 1) for p in priorities),
        target=_ints(map(_ordinal, targets, deadlines)),
        deadline=_ints(map(_ordinal, deadlines, targets)),
        **_class_arrays(scope, list(classes), hospitals),
        **offers["arrays"],
    )
    return Data(
        instance=instance,
        first_week=first,
        request_ids=ids,
        references=references,
        asa=asa,
        limits=limits,
        offer_ids=offers["id"],
        offer_unit_codes=offers["code"],
        offer_weeks=offers["monday"],
    )


def _ordinal(day: date | None, fallback: date | None) -> int:
    """A waiting request has both dates (a database constraint); the other stands in should one be missing."""
    chosen = day or fallback
    return chosen.toordinal() if chosen else date.max.toordinal()
