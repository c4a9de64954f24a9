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
from organisations.models import Hospital, Region, Unit
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


def _offer_columns(offers: list, units: dict, hospitals: dict, first: date) -> dict[str, Any]:
    places = [hospitals[units[o[1]][1]] for o in offers]
    return {
        "id": [o[0] for o in offers],
        "unit": [o[1] for o in offers],
        "code": [units[o[1]][0] for o in offers],
        "monday": [o[2] for o in offers],
        "week": [(o[2] - first).days // 7 for o in offers],
        "free": [o[3] - o[4] for o in offers],
        "max_asa": [o[5] for o in offers],
        "lat": [float(p[0]) for p in places],
        "lon": [float(p[1]) for p in places],
        "region": [p[2] for p in places],
        "healthcare_region": [p[3] for p in places],
    }


def _arrays(
    scope: Scope, first: date, rows: list, offers: dict[str, Any], hospitals: dict, declines: dict[int, frozenset[int]]
) -> Data:
    weights = priority_weights()
    classes: dict[tuple, int] = {}
    request_class = [
        classes.setdefault((row[7], row[2], row[3], declines.get(row[0], frozenset())), len(classes)) for row in rows
    ]
    keys = list(classes)
    far = float("inf")

    def ints(values: list) -> np.ndarray:
        return np.array(values, dtype=np.int64)

    def floats(values: list) -> np.ndarray:
        return np.array(values, dtype=np.float64)

    instance = Instance(
        weeks=HORIZON_WEEKS,
        first_day=first.toordinal(),
        request_class=ints(request_class),
        weight=ints([weights.get(row[6], 1) for row in rows]),
        target=ints([_ordinal(row[4], row[5]) for row in rows]),
        deadline=ints([_ordinal(row[5], row[4]) for row in rows]),
        class_lat=floats([float(hospitals[key[0]][0]) for key in keys]),
        class_lon=floats([float(hospitals[key[0]][1]) for key in keys]),
        class_asa=ints([key[1] for key in keys]),
        class_limit=floats([far if key[2] is None else float(key[2]) for key in keys]),
        class_region=np.full(len(keys), scope.region.pk, dtype=np.int64),
        class_healthcare_region=np.full(len(keys), scope.region.healthcare_region_id, dtype=np.int64),
        declined=tuple((k, unit) for k, key in enumerate(keys) for unit in sorted(key[3])),
        offer_week=ints(offers["week"]),
        offer_free=ints(offers["free"]),
        offer_max_asa=ints(offers["max_asa"]),
        offer_lat=floats(offers["lat"]),
        offer_lon=floats(offers["lon"]),
        offer_region=ints(offers["region"]),
        offer_healthcare_region=ints(offers["healthcare_region"]),
        offer_unit=ints(offers["unit"]),
    )
    return Data(
        instance=instance,
        first_week=first,
        request_ids=[row[0] for row in rows],
        references=[row[1] for row in rows],
        asa=[row[2] for row in rows],
        limits=[row[3] for row in rows],
        offer_ids=offers["id"],
        offer_unit_codes=offers["code"],
        offer_weeks=offers["monday"],
    )


def _ordinal(day: date | None, fallback: date | None) -> int:
    """A waiting request has both dates (a database constraint); the other stands in should one be missing."""
    chosen = day or fallback
    return chosen.toordinal() if chosen else date.max.toordinal()
