"""The order of preference between receiving units, at its boundaries (the README's matching section):
timeliness first, then the own healthcare region, then the earliest week, distance and free slots.

World: the request comes from Region Skåne (Södra); Region Blekinge is in the same healthcare region,
Region Kalmar län in another (Sydöstra). The medical target date is the Monday of week(2), the
care-guarantee deadline the Monday of week(6)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from capacity.matching import Proposal, Timeliness, rank_receiving_units
from capacity.models import CapacityOffer
from capacity.weeks import monday_of
from catalog.models import AsaClass
from referrals.models import Referral, ReferralStatus
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory, HospitalFactory, ReferralFactory, UnitFactory

TODAY = date(2026, 11, 18)  # a Wednesday
THIS_WEEK = monday_of(TODAY)


def week(n: int) -> date:
    return THIS_WEEK + timedelta(weeks=n)


@pytest.fixture
def group(db):
    return DiagnosisGroupFactory()


@pytest.fixture
def referral(world, group) -> Referral:
    referral = ReferralFactory(
        status=ReferralStatus.SUBMITTED,
        sending_unit=world.home_unit,
        diagnosis_group=group,
        asa_class=AsaClass.III,
        decision_date=TODAY - timedelta(days=20),
        medical_target_date=week(2),
        care_guarantee_deadline=week(6),
    )
    return Referral.objects.select_related("sending_unit__hospital__region", "diagnosis_group").get(pk=referral.pk)


def offer(unit, group, n: int, **kwargs) -> CapacityOffer:
    return CapacityOfferFactory(unit=unit, diagnosis_group=group, week_start=week(n), **kwargs)


def proposals(referral) -> list[Proposal]:
    return rank_receiving_units(referral, today=TODAY).proposals


def ranked(referral) -> list[int]:
    return [p.unit_id for p in proposals(referral)]


def unit_at(region, latitude: str, longitude: str):
    hospital = HospitalFactory(region=region, latitude=Decimal(latitude), longitude=Decimal(longitude))
    return UnitFactory(hospital=hospital)


# --- timeliness against the own healthcare region ----------------------------------------------


def test_as_timely_the_own_healthcare_region_comes_first(world, group, referral):
    # Both meet the medical target date; the other healthcare region's unit is earlier, nearer and freer.
    own = unit_at(world.neighbour_region, "56.2", "15.6")
    other = unit_at(world.far_region, world.home_unit.hospital.latitude, world.home_unit.hospital.longitude)
    offer(own, group, 2, slots=1)
    offer(other, group, 1, slots=4)
    assert ranked(referral) == [own.pk, other.pk]
    first, second = proposals(referral)
    assert first.timeliness == second.timeliness == Timeliness.BY_TARGET_DATE
    assert (first.same_healthcare_region, second.same_healthcare_region) == (True, False)


def test_as_timely_after_the_target_date_the_own_healthcare_region_comes_first_too(world, group, referral):
    own, other = unit_at(world.neighbour_region, "56.2", "15.6"), unit_at(world.far_region, "56.7", "16.3")
    offer(own, group, 5)  # both after the target date, before the deadline
    offer(other, group, 3)
    assert ranked(referral) == [own.pk, other.pk]
    assert {p.timeliness for p in proposals(referral)} == {Timeliness.BY_DEADLINE}


def test_outside_the_own_healthcare_region_on_the_target_date_beats_inside_a_week_later(world, group, referral):
    own, other = unit_at(world.neighbour_region, "56.2", "15.6"), unit_at(world.far_region, "56.7", "16.3")
    offer(own, group, 3)  # misses the target date by a week
    offer(other, group, 2)  # its first free week starts on the target date itself: meets it
    assert ranked(referral) == [other.pk, own.pk]
    by_unit = {p.unit_id: p for p in proposals(referral)}
    assert by_unit[other.pk].timeliness == Timeliness.BY_TARGET_DATE
    assert by_unit[other.pk].days_vs_target == 0
    assert by_unit[own.pk].timeliness == Timeliness.BY_DEADLINE


def test_outside_the_own_healthcare_region_before_the_deadline_beats_inside_after_it(world, group, referral):
    own, other = unit_at(world.neighbour_region, "56.2", "15.6"), unit_at(world.far_region, "56.7", "16.3")
    offer(own, group, 7)  # after the care-guarantee deadline
    offer(other, group, 6)  # on the deadline
    assert ranked(referral) == [other.pk, own.pk]
    assert [p.timeliness for p in proposals(referral)] == [Timeliness.BY_DEADLINE, Timeliness.AFTER_DEADLINE]


def test_when_the_own_healthcare_region_is_full_the_rest_of_the_country_is_proposed(world, group, referral):
    own, other = unit_at(world.neighbour_region, "56.2", "15.6"), unit_at(world.far_region, "56.7", "16.3")
    offer(own, group, 1, slots=2, reserved_slots=2)
    offer(other, group, 4)
    assert ranked(referral) == [other.pk]
    with translation.override("sv"):
        assert "Annan sjukvårdsregion" in proposals(referral)[0].reasons


# --- within a healthcare region and timeliness: week, distance, free slots ----------------------


def test_as_timely_and_in_the_same_healthcare_region_the_earlier_week_comes_before_the_nearer_unit(
    world, group, referral
):
    near, far = unit_at(world.far_region, "57.0", "15.0"), unit_at(world.far_region, "58.4", "15.6")
    offer(near, group, 2)
    offer(far, group, 1)
    assert ranked(referral) == [far.pk, near.pk]


def test_in_the_same_week_the_nearer_unit_comes_first_then_the_one_with_more_free_slots(world, group, referral):
    lund = world.home_unit.hospital
    near = unit_at(world.far_region, lund.latitude, str(Decimal(lund.longitude) + Decimal("0.5")))
    far = unit_at(world.far_region, lund.latitude, str(Decimal(lund.longitude) + Decimal("2.0")))
    far_twin = UnitFactory(hospital=far.hospital)
    offer(near, group, 1, slots=1)
    offer(far, group, 1, slots=1)
    offer(far_twin, group, 1, slots=3)
    assert ranked(referral) == [near.pk, far_twin.pk, far.pk]


def test_the_reasons_name_the_healthcare_region(world, group, referral):
    own, other = unit_at(world.neighbour_region, "56.2", "15.6"), unit_at(world.far_region, "56.7", "16.3")
    offer(own, group, 1)
    offer(other, group, 1)
    with translation.override("sv"):
        first, second = (p.reasons for p in proposals(referral))
    assert "Samma sjukvårdsregion" in first
    assert "Annan sjukvårdsregion" in second
