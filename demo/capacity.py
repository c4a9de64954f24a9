"""Demo capacity: offers for the next 12 weeks across many units, so that demo requests show real
choices, and a few gaps that show the no-match explanations (no unit offers gynaecological cancer
surgery; hand surgery units take at most ASA III). Some units have not confirmed their capacity for
weeks, so the proposals show "obekräftad sedan …" and rank them last. A few units of the regions that join
SOT in the demo (`demo/participation.py`) offer capacity too, confirmed: the ranking shows them after the own
healthcare region's units as timely, and before those that would make the patient late."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db.models import F
from django.utils import timezone

from accounts.models import User
from capacity.models import CapacityOffer, CareType
from capacity.weeks import monday_of
from catalog.models import AsaClass, DiagnosisGroup
from demo.accounts import unit_staff_accounts
from demo.participation import HISTORY_HEALTHCARE_REGIONS
from organisations.models import Specialty, Unit, taking_part_q

WEEKS = 12
NOT_OFFERED = {"gyn-cancer"}
UNIVERSITY_HOSPITALS = {"sus-lund", "sus-malmo", "linkoping", "ryhov"}
DAY_SURGERY_SPECIALTIES = {Specialty.HAND_SURGERY, Specialty.ENT, Specialty.GYNAECOLOGY}
SLOTS = [1, 1, 2, 2, 3, 4]  # slots per offer, drawn evenly from these
# Capacity confirmed long ago (more days than the default limit of 14): all of Halmstad's orthopaedics
# (the receiving demo account `mottagning.halland`), Kalmar's orthopaedics but hip and knee arthrosis
# (`mottagning.kalmar` sees both kinds and confirms them with one click), and one unit in five besides.
STALE_UNITS = {"halmstad-ortopedi"}
STALE_GROUP_OF = {"kalmar-ortopedi": "ortopedi-ovrigt"}
STALE_SHARE = 0.2
STALE_DAYS = (17, 45)
# Units of the regions that join SOT in the demo, with capacity for every group of their specialty.
JOINING_UNITS = (
    "molndal-ortopedi",
    "sahlgrenska-kirurgi",
    "nal-urologi",
    "skovde-ortopedi",
    "karolinska-huddinge-ortopedi",
    "sodersjukhuset-kirurgi",
)
# The group plan's demo group (demo/group_plan.py): one slot a week, so no unit can take all who wait.
ONE_SLOT_GROUPS = {"artros-hoft-kna"}


def seed_demo_capacity(*, today: date | None = None, seed: int = 2026) -> int:
    """The demo's offers, once; the joining regions' units get theirs also in a demo seeded before they
    joined (an existing demo database, upgraded)."""
    first_monday = monday_of(today or timezone.localdate())
    groups_by_specialty = _offered_groups()
    staff = unit_staff_accounts()
    offers = [] if CapacityOffer.objects.exists() else _history_offers(seed, groups_by_specialty, first_monday, staff)
    if not CapacityOffer.objects.filter(unit__code__in=JOINING_UNITS).exists():
        offers += _joining_offers(random.Random(seed + 2), groups_by_specialty, first_monday, staff)
    CapacityOffer.objects.bulk_create(offers)
    # Published when last confirmed: an offer nobody has looked at since.
    long_ago = timezone.now() - timedelta(days=STALE_DAYS[0])
    CapacityOffer.objects.filter(confirmed_at__lte=long_ago).update(created_at=F("confirmed_at"))
    return len(offers)


def _history_offers(
    seed: int, groups_by_specialty: dict[str, list[DiagnosisGroup]], first_monday: date, staff: dict
) -> list[CapacityOffer]:
    """The offers of the units of Södra and Sydöstra, where the demo history is."""
    rng = random.Random(seed)
    offers = []
    history_units = Unit.objects.filter(hospital__region__healthcare_region__code__in=HISTORY_HEALTHCARE_REGIONS)
    for unit in history_units.select_related("hospital").order_by("code"):
        if unit.code not in staff or rng.random() < 0.25:  # not every unit has spare capacity
            continue
        for group in groups_by_specialty.get(unit.specialty, []):
            if rng.random() >= 0.3:  # not every diagnosis group the unit treats
                offers += _weekly_offers(rng, unit, group, first_monday, staff[unit.code])
    _confirm_some_long_ago(offers, random.Random(seed + 1))
    return offers


def _joining_offers(
    rng: random.Random, groups_by_specialty: dict[str, list[DiagnosisGroup]], first_monday: date, staff: dict
) -> list[CapacityOffer]:
    """The offers of the joining regions' units (a random stream of its own: the others' stay as they were)."""
    offers = []
    # Only while its region takes part: an administrator may have said otherwise.
    units = Unit.objects.filter(taking_part_q("hospital__region__", on=timezone.localdate()), code__in=JOINING_UNITS)
    for unit in units.select_related("hospital").order_by("code"):
        for group in groups_by_specialty.get(unit.specialty, []):
            offers += _weekly_offers(rng, unit, group, first_monday, staff[unit.code])
    return offers


def _confirm_some_long_ago(offers: list[CapacityOffer], rng: random.Random) -> None:
    """Date back the confirmation of some units' offers (a random stream of its own, so that the offers
    themselves stay as they were)."""
    now = timezone.now()
    age: dict[int, int] = {}  # unit id → days since its offers were last confirmed; 0: confirmed now
    for offer in offers:
        unit = offer.unit
        if unit.pk not in age:
            chosen = unit.code in STALE_UNITS or unit.code in STALE_GROUP_OF or rng.random() < STALE_SHARE
            age[unit.pk] = rng.randint(*STALE_DAYS) if chosen else 0
        group = STALE_GROUP_OF.get(unit.code)
        if age[unit.pk] and group in (None, offer.diagnosis_group.code):
            offer.confirmed_at = now - timedelta(days=age[unit.pk])


def _offered_groups() -> dict[str, list[DiagnosisGroup]]:
    """Per specialty, the diagnosis groups that some unit offers capacity for."""
    groups_by_specialty: dict[str, list[DiagnosisGroup]] = {}
    for group in DiagnosisGroup.objects.exclude(code__in=NOT_OFFERED).order_by("sort_order"):
        groups_by_specialty.setdefault(group.specialty, []).append(group)
    return groups_by_specialty


def _weekly_offers(
    rng: random.Random, unit: Unit, group: DiagnosisGroup, first_monday: date, by: User
) -> list[CapacityOffer]:
    """The unit's offers for the group, in a little more than half of the weeks ahead."""
    max_asa = _max_asa(unit, rng)
    care_type = CareType.DAY_SURGERY if unit.specialty in DAY_SURGERY_SPECIALTIES else CareType.INPATIENT
    return [
        CapacityOffer(
            unit=unit,
            diagnosis_group=group,
            week_start=first_monday + timedelta(weeks=week),
            slots=_slots(rng, group),
            max_asa=max_asa,
            care_type=care_type,
            created_by=by,
            confirmed_by=by,
        )
        for week in range(WEEKS)
        if rng.random() >= 0.45
    ]


def _slots(rng: random.Random, group: DiagnosisGroup) -> int:
    drawn = rng.choice(SLOTS)  # drawn for every offer, so that the other offers stay as they were
    return 1 if group.code in ONE_SLOT_GROUPS else drawn


def _max_asa(unit: Unit, rng: random.Random) -> int:
    if unit.specialty == Specialty.HAND_SURGERY:
        return AsaClass.III
    if unit.hospital.code in UNIVERSITY_HOSPITALS:
        return AsaClass.IV
    return rng.choice([AsaClass.III, AsaClass.III, AsaClass.IV])
