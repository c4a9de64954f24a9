"""Matching and the regions that take part in SOT: the units of the others are never proposed, the ranking
counts them apart, and the day a region joins is the first day its units are proposed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import translation

from capacity.exclusions import ExclusionKind
from capacity.matching import rank_receiving_units
from capacity.weeks import monday_of
from catalog.models import AsaClass
from referrals.models import Referral, ReferralStatus
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory, HospitalFactory, ReferralFactory, UnitFactory

TODAY = date(2026, 11, 18)


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
        medical_target_date=TODAY + timedelta(days=30),
        care_guarantee_deadline=TODAY + timedelta(days=70),
    )
    return Referral.objects.select_related("sending_unit__hospital__region", "diagnosis_group").get(pk=referral.pk)


def offer(unit, group):
    return CapacityOfferFactory(unit=unit, diagnosis_group=group, week_start=monday_of(TODAY) + timedelta(weeks=1))


def stop(region, *, joined_on: date | None = None, takes_part: bool = False) -> None:
    region.takes_part, region.joined_on = takes_part, joined_on or region.joined_on
    region.save()


def test_units_of_a_region_that_does_not_take_part_are_never_proposed_and_are_counted(world, group, referral):
    offer(world.neighbour_unit, group)
    offer(world.far_unit, group)
    offer(UnitFactory(hospital=HospitalFactory(region=world.far_region)), group)
    stop(world.far_region)
    result = rank_receiving_units(referral, today=TODAY)
    assert [p.unit_id for p in result.proposals] == [world.neighbour_unit.pk]
    assert {e.kind: e.units for e in result.exclusions} == {ExclusionKind.NOT_TAKING_PART: 2}


def test_the_exclusion_says_why_in_swedish(world, group, referral):
    offer(world.far_unit, group)
    stop(world.far_region)
    with translation.override("sv"):
        (exclusion,) = rank_receiving_units(referral, today=TODAY).exclusions
    assert exclusion.message == "1 enhet erbjuder gruppen i en region som inte deltar i SOT."


def test_when_only_regions_outside_sot_offer_the_group_the_ranking_does_not_say_nobody_offers_it(
    world, group, referral
):
    offer(world.neighbour_unit, group)
    offer(world.far_unit, group)
    stop(world.neighbour_region)
    stop(world.far_region)
    result = rank_receiving_units(referral, today=TODAY)
    assert result.proposals == []
    assert [e.kind for e in result.exclusions] == [ExclusionKind.NOT_TAKING_PART]


def test_a_region_is_proposed_from_the_day_it_joins(world, group, referral):
    offer(world.far_unit, group)
    stop(world.far_region, takes_part=True, joined_on=TODAY + timedelta(days=1))
    assert rank_receiving_units(referral, today=TODAY).proposals == []
    stop(world.far_region, takes_part=True, joined_on=TODAY)
    assert [p.unit_id for p in rank_receiving_units(referral, today=TODAY).proposals] == [world.far_unit.pk]


def test_the_own_region_is_counted_as_the_own_region_whether_it_takes_part_or_not(world, group, referral):
    offer(UnitFactory(hospital=HospitalFactory(region=world.home_region)), group)
    stop(world.home_region)
    kinds = {e.kind: e.units for e in rank_receiving_units(referral, today=TODAY).exclusions}
    assert kinds[ExclusionKind.OWN_REGION] == 1
    assert ExclusionKind.NOT_TAKING_PART not in kinds


def test_still_one_query(world, group, referral, django_assert_num_queries):
    offer(world.neighbour_unit, group)
    offer(world.far_unit, group)
    stop(world.far_region)
    with django_assert_num_queries(1):
        rank_receiving_units(referral, today=TODAY)


# --- the capacity overview shows only what can be proposed -------------------------------------


def test_the_capacity_overview_leaves_out_regions_that_do_not_take_part(client, world, groups):
    from django.urls import reverse

    from tests.capacity.test_capacity_overview import cells, login
    from tests.capacity.test_capacity_overview import week as overview_week
    from tests.capacity.test_capacity_overview_cell import params, units_listed
    from tests.pages import elements

    artros, _hand = groups
    CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=artros, week_start=overview_week(0), slots=3)
    CapacityOfferFactory(unit=world.far_unit, diagnosis_group=artros, week_start=overview_week(0), slots=2)
    stop(world.far_region)
    login(client, world.sot)
    body = client.get(reverse("capacity:overview")).content.decode()
    assert cells(body, "artros")[0] == "3"
    start = body.index('name="region"')
    options = {e.attrs.get("value") for e in elements(body[start : body.index("</select>", start)], "option")}
    assert str(world.far_region.pk) not in options and str(world.neighbour_region.pk) in options
    cell = client.get(reverse("capacity:overview_cell"), params(artros)).content.decode()
    assert units_listed(cell) == [str(world.neighbour_unit.pk)]
