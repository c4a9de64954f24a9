"""The matching service: hard rules and ranking factors at their boundaries, explanations, determinism."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from capacity.matching import ExclusionKind, Timeliness, rank_receiving_units
from capacity.models import CapacityOffer
from capacity.weeks import monday_of
from catalog.models import AsaClass
from referrals.models import Referral, ReferralStatus
from tests.factories import (
    CapacityOfferFactory,
    DiagnosisGroupFactory,
    HospitalFactory,
    ReferralFactory,
    UnitFactory,
)

TODAY = date(2026, 11, 18)  # a Wednesday in week 47
THIS_WEEK = monday_of(TODAY)


def week(n: int) -> date:
    return THIS_WEEK + timedelta(weeks=n)


@pytest.fixture
def group(db):
    return DiagnosisGroupFactory()


@pytest.fixture
def referral(world, group) -> Referral:
    decision = TODAY - timedelta(days=20)
    referral = ReferralFactory(
        status=ReferralStatus.SUBMITTED,
        sending_unit=world.home_unit,
        diagnosis_group=group,
        asa_class=AsaClass.III,
        decision_date=decision,
        medical_target_date=week(2),  # the Monday of week 49
        care_guarantee_deadline=week(6),
    )
    return Referral.objects.select_related("sending_unit__hospital__region", "diagnosis_group").get(pk=referral.pk)


def offer(unit, group, n: int = 1, **kwargs) -> CapacityOffer:
    return CapacityOfferFactory(unit=unit, diagnosis_group=group, week_start=week(n), **kwargs)


def ranked(referral) -> list[int]:
    return [p.unit_id for p in rank_receiving_units(referral, today=TODAY).proposals]


def kinds(referral) -> dict:
    return {e.kind: e.units for e in rank_receiving_units(referral, today=TODAY).exclusions}


# --- hard rules --------------------------------------------------------------------------------


def test_only_units_in_other_regions(world, group, referral):
    offer(world.home_unit, group)
    offer(UnitFactory(hospital=HospitalFactory(region=world.home_region)), group)
    offer(world.neighbour_unit, group)
    assert ranked(referral) == [world.neighbour_unit.pk]
    assert kinds(referral) == {ExclusionKind.OWN_REGION: 2}


def test_only_the_requests_diagnosis_group(world, group, referral):
    offer(world.neighbour_unit, DiagnosisGroupFactory(code="brack", name="Bråck", ranges=[("K40", "K46")]))
    result = rank_receiving_units(referral, today=TODAY)
    assert result.proposals == []
    assert [e.kind for e in result.exclusions] == [ExclusionKind.NO_OFFER]
    with translation.override("sv"):
        message = rank_receiving_units(referral, today=TODAY).exclusions[0].message
    assert message == "Ingen verksamhet i annan region erbjuder Höft- och knäledsartros från och med v. 47 2026."


@pytest.mark.parametrize(
    ("patient_asa", "emergency", "unit_max", "included"),
    [
        (AsaClass.III, False, AsaClass.III, True),  # at the boundary
        (AsaClass.IV, False, AsaClass.III, False),  # one above
        (AsaClass.IV, True, AsaClass.IV, True),  # IV-E counts as IV
        (AsaClass.V, True, AsaClass.IV, False),
    ],
)
def test_asa_class(world, group, referral, patient_asa, emergency, unit_max, included):
    Referral.objects.filter(pk=referral.pk).update(asa_class=patient_asa, asa_emergency=emergency)
    referral.refresh_from_db()
    offer(world.neighbour_unit, group, max_asa=unit_max)
    assert ranked(referral) == ([world.neighbour_unit.pk] if included else [])
    if not included:
        assert kinds(referral) == {ExclusionKind.ASA: 1}
        with translation.override("sv"):
            message = rank_receiving_units(referral, today=TODAY).exclusions[0].message
        assert "tar högst ASA III" in message or "tar högst ASA IV" in message


def test_a_free_slot_is_needed(world, group, referral):
    offer(world.neighbour_unit, group, 1, slots=2, reserved_slots=2)
    offer(world.neighbour_unit, group, 3, slots=1, reserved_slots=1)
    assert ranked(referral) == []
    assert kinds(referral) == {ExclusionKind.FULL: 1}
    with translation.override("sv"):
        message = rank_receiving_units(referral, today=TODAY).exclusions[0].message
    assert message == "1 verksamhet har ingen ledig plats till och med v. 50 2026."
    offer(world.neighbour_unit, group, 4, slots=2, reserved_slots=1)
    assert ranked(referral) == [world.neighbour_unit.pk]


def test_past_weeks_do_not_count_but_this_week_does(world, group, referral):
    offer(world.neighbour_unit, group, -1)
    assert ranked(referral) == []
    assert kinds(referral) == {ExclusionKind.NO_OFFER: 0}
    offer(world.neighbour_unit, group, 0)
    assert ranked(referral) == [world.neighbour_unit.pk]
    assert rank_receiving_units(referral, today=THIS_WEEK + timedelta(days=4)).proposals  # Friday: still open
    assert rank_receiving_units(referral, today=THIS_WEEK + timedelta(days=5)).proposals == []  # Saturday: over


def test_withdrawn_offers_do_not_count(world, group, referral):
    from django.utils import timezone

    offer(world.neighbour_unit, group, withdrawn_at=timezone.now())
    assert ranked(referral) == []


def test_request_without_group_or_asa_is_explained(world, group, referral, django_assert_num_queries):
    referral.asa_class = None
    with django_assert_num_queries(0):
        result = rank_receiving_units(referral, today=TODAY)
    assert result.proposals == [] and result.exclusions[0].kind == ExclusionKind.INCOMPLETE


# --- ranking -----------------------------------------------------------------------------------


def _unit_in(region, lat="56.00000", lon="14.00000"):
    return UnitFactory(hospital=HospitalFactory(region=region, latitude=Decimal(lat), longitude=Decimal(lon)))


def test_on_time_beats_own_healthcare_region(world, group, referral):
    late_near = _unit_in(world.neighbour_region)  # same healthcare region, after the target date
    offer(late_near, group, 3)
    on_time_far = _unit_in(world.far_region)  # other healthcare region, before the target date
    offer(on_time_far, group, 1)
    proposals = rank_receiving_units(referral, today=TODAY).proposals
    assert [p.unit_id for p in proposals] == [on_time_far.pk, late_near.pk]
    assert [p.timeliness for p in proposals] == [Timeliness.BY_TARGET_DATE, Timeliness.BY_DEADLINE]


def test_target_date_boundary(world, group, referral):
    unit = _unit_in(world.neighbour_region)
    offer(unit, group, 2)  # the week starts on the target date itself
    proposal = rank_receiving_units(referral, today=TODAY).proposals[0]
    assert (proposal.days_vs_target, proposal.timeliness) == (0, Timeliness.BY_TARGET_DATE)


def test_after_the_deadline_is_worst(world, group, referral):
    by_deadline = _unit_in(world.far_region)
    offer(by_deadline, group, 6)  # starts on the deadline: still in time
    after = _unit_in(world.neighbour_region)
    offer(after, group, 7)
    proposals = rank_receiving_units(referral, today=TODAY).proposals
    assert [p.unit_id for p in proposals] == [by_deadline.pk, after.pk]
    assert [p.timeliness for p in proposals] == [Timeliness.BY_DEADLINE, Timeliness.AFTER_DEADLINE]
    assert proposals[1].days_vs_deadline == 7


def test_own_healthcare_region_first_within_the_same_timeliness(world, group, referral):
    other_hr = _unit_in(world.far_region)
    offer(other_hr, group, 0)
    same_hr = _unit_in(world.neighbour_region)
    offer(same_hr, group, 1)
    assert ranked(referral) == [same_hr.pk, other_hr.pk]


def test_earliest_week_then_distance_then_free_slots_then_id(world, group, referral):
    sending = referral.sending_unit.hospital
    here = (str(sending.latitude), str(sending.longitude))
    later = _unit_in(world.neighbour_region, *here)
    offer(later, group, 1)
    earlier_far = _unit_in(world.neighbour_region, "59.00000", "18.00000")
    offer(earlier_far, group, 0)
    earlier_near = _unit_in(world.neighbour_region, *here)
    offer(earlier_near, group, 0, slots=1)
    earlier_near_more = _unit_in(world.neighbour_region, *here)
    offer(earlier_near_more, group, 0, slots=3)
    twin = _unit_in(world.neighbour_region, *here)
    offer(twin, group, 0, slots=1)
    assert ranked(referral) == [earlier_near_more.pk, earlier_near.pk, twin.pk, earlier_far.pk, later.pk]


def test_deterministic(world, group, referral):
    units = [_unit_in(world.neighbour_region) for _ in range(6)]
    for unit in reversed(units):
        offer(unit, group, 1)
    first = rank_receiving_units(referral, today=TODAY)
    assert first == rank_receiving_units(referral, today=TODAY)
    assert [p.unit_id for p in first.proposals] == sorted(u.pk for u in units)


def test_reasons_in_swedish(world, group, referral):
    unit = UnitFactory(
        hospital=HospitalFactory(region=world.neighbour_region, latitude=Decimal("56.16"), longitude=Decimal("15.59"))
    )
    offer(unit, group, 1, slots=3)
    offer(unit, group, 2, slots=1)
    with translation.override("sv"):
        reasons = rank_receiving_units(referral, today=TODAY).proposals[0].reasons
    assert reasons[0] == "Första lediga vecka: v. 48 2026 (från 2026-11-23)"
    assert reasons[1] == "7 dagar före medicinskt måldatum"
    assert reasons[2] == "35 dagar före vårdgarantidatum"
    assert reasons[3] == "Samma sjukvårdsregion"
    assert reasons[4].endswith(" km bort")
    assert reasons[5] == "4 lediga platser under 2 veckor"


def test_distance_is_great_circle_km(world, group, referral):
    sending = referral.sending_unit.hospital
    sending.latitude, sending.longitude = Decimal("55.71340"), Decimal("13.19560")  # Lund
    sending.save()
    referral.refresh_from_db()
    referral = Referral.objects.select_related("sending_unit__hospital__region").get(pk=referral.pk)
    kalmar = UnitFactory(
        hospital=HospitalFactory(region=world.far_region, latitude=Decimal("56.66800"), longitude=Decimal("16.33500"))
    )
    offer(kalmar, group)
    distance = rank_receiving_units(referral, today=TODAY).proposals[0].distance_km
    assert 218 < distance < 224  # Lund–Kalmar, about 221 km as the crow flies


# --- cost ------------------------------------------------------------------------------------


@pytest.mark.parametrize("units", [3, 30])
def test_one_query_per_call_whatever_the_number_of_units(world, group, referral, django_assert_num_queries, units):
    for i in range(units):
        unit = _unit_in(world.neighbour_region if i % 2 else world.far_region)
        for n in range(4):
            offer(unit, group, n, max_asa=AsaClass.II if i % 5 == 0 else AsaClass.IV)
    with django_assert_num_queries(1):
        result = rank_receiving_units(referral, today=TODAY)
    assert len(result.proposals) + sum(e.units for e in result.exclusions) == units


def test_the_patients_travel_limit(world, group, referral):
    """A unit farther than the patient can travel is left out and counted; no limit is anywhere in the country."""
    near = UnitFactory(hospital=HospitalFactory(region=world.neighbour_region, latitude=Decimal("56.5")))  # ~56 km
    far = UnitFactory(hospital=HospitalFactory(region=world.far_region, latitude=Decimal("58.0")))  # ~222 km
    offer(near, group)
    offer(far, group)
    assert set(ranked(referral)) == {near.pk, far.pk}
    assert kinds(referral) == {}
    Referral.objects.filter(pk=referral.pk).update(max_travel_km=100)
    referral.refresh_from_db()
    assert ranked(referral) == [near.pk]
    assert kinds(referral) == {ExclusionKind.TOO_FAR: 1}
    with translation.override("sv"):
        message = rank_receiving_units(referral, today=TODAY).exclusions[0].message
    assert message == "1 enhet ligger längre bort än patienten kan resa."
    Referral.objects.filter(pk=referral.pk).update(max_travel_km=55)
    referral.refresh_from_db()
    assert ranked(referral) == []
    assert kinds(referral) == {ExclusionKind.TOO_FAR: 2}  # never "no unit offers the group": two do
    with translation.override("sv"):
        message = rank_receiving_units(referral, today=TODAY).exclusions[0].message
    assert message == "2 enheter ligger längre bort än patienten kan resa."
