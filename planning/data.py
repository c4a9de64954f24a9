"""What a group plan reads: the waiting requests of one region and diagnosis group, and the free offers of the
group in other regions over the horizon, as the arrays of `graph.Instance`. Four queries, whatever the size."""

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


def declined_units(request_ids: list[int]) -> dict[int, frozenset[int]]:
    """The units that declined each request: a decline ends the proposal before it (`referrals.proposals`)."""
    events = (
        ReferralEvent.objects.filter(referral_id__in=request_ids, kind__in=(EventKind.PROPOSED, EventKind.DECLINED))
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
            "sending_unit__hospital__latitude",
            "sending_unit__hospital__longitude",
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
        .order_by("week_start", "unit__code", "pk")
        .values_list(
            "pk",
            "unit_id",
            "unit__code",
            "week_start",
            "slots",
            "reserved_slots",
            "max_asa",
            "unit__hospital__latitude",
            "unit__hospital__longitude",
            "unit__hospital__region_id",
            "unit__hospital__region__healthcare_region_id",
        )
    )
    declines = declined_units([row[0] for row in rows]) if rows else {}
    return _arrays(scope, first, rows, offers, declines)


def _arrays(scope: Scope, first: date, rows: list, offers: list, declines: dict[int, frozenset[int]]) -> Data:
    weights = priority_weights()
    classes: dict[tuple, int] = {}
    request_class = [
        classes.setdefault((row[7], row[2], row[3], declines.get(row[0], frozenset())), len(classes)) for row in rows
    ]
    coords = {row[7]: (float(row[8]), float(row[9])) for row in rows}
    keys = list(classes)
    far = float("inf")
    instance = Instance(
        weeks=HORIZON_WEEKS,
        first_day=first.toordinal(),
        request_class=np.array(request_class, dtype=np.int64),
        weight=np.array([weights.get(row[6], 1) for row in rows], dtype=np.int64),
        target=np.array([_ordinal(row[4], row[5]) for row in rows], dtype=np.int64),
        deadline=np.array([_ordinal(row[5], row[4]) for row in rows], dtype=np.int64),
        class_lat=np.array([coords[key[0]][0] for key in keys], dtype=np.float64),
        class_lon=np.array([coords[key[0]][1] for key in keys], dtype=np.float64),
        class_asa=np.array([key[1] for key in keys], dtype=np.int64),
        class_limit=np.array([far if key[2] is None else float(key[2]) for key in keys], dtype=np.float64),
        class_region=np.full(len(keys), scope.region.pk, dtype=np.int64),
        class_healthcare_region=np.full(len(keys), scope.region.healthcare_region_id, dtype=np.int64),
        declined=tuple((k, unit) for k, key in enumerate(keys) for unit in sorted(key[3])),
        offer_week=np.array([(o[3] - first).days // 7 for o in offers], dtype=np.int64),
        offer_free=np.array([o[4] - o[5] for o in offers], dtype=np.int64),
        offer_max_asa=np.array([o[6] for o in offers], dtype=np.int64),
        offer_lat=np.array([float(o[7]) for o in offers], dtype=np.float64),
        offer_lon=np.array([float(o[8]) for o in offers], dtype=np.float64),
        offer_region=np.array([o[9] for o in offers], dtype=np.int64),
        offer_healthcare_region=np.array([o[10] for o in offers], dtype=np.int64),
        offer_unit=np.array([o[1] for o in offers], dtype=np.int64),
    )
    return Data(
        instance=instance,
        first_week=first,
        request_ids=[row[0] for row in rows],
        references=[row[1] for row in rows],
        asa=[row[2] for row in rows],
        limits=[row[3] for row in rows],
        offer_ids=[o[0] for o in offers],
        offer_unit_codes=[o[2] for o in offers],
        offer_weeks=[o[3] for o in offers],
    )


def _ordinal(day: date | None, fallback: date | None) -> int:
    """A waiting request has both dates (a database constraint); the other stands in should one be missing."""
    chosen = day or fallback
    return chosen.toordinal() if chosen else date.max.toordinal()
