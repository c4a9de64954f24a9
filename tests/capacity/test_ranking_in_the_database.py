"""The ranking the database returns (`capacity.candidates`) is the one a plain Python ranking gives: the same
proposals in the same order with the same reasons, the same exclusions, the same declined units, on random
data; cut to the top `TOP_N` whatever the number of units, in one query."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from capacity import exclusions as excluded
from capacity.matching import TOP_N, EarlierDecline, MatchResult, Proposal, Timeliness, rank_receiving_units
from capacity.models import CapacityOffer, ConfirmationLimit, confirmation_stale
from capacity.weeks import first_open_week, monday_of
from catalog.models import AsaClass
from organisations.models import great_circle_km
from referrals.models import Referral, ReferralStatus
from tests.factories import (
    DiagnosisGroupFactory,
    HospitalFactory,
    ReferralFactory,
    RegionFactory,
    UnitFactory,
    UserFactory,
)

TODAY = date(2026, 11, 18)  # a Wednesday in week 47
THIS_WEEK = monday_of(TODAY)


def reference_ranking(
    referral: Referral, declined: list[EarlierDecline]
) -> tuple[MatchResult, dict[int, Proposal | None]]:
    """Matching as it was written before the database ranked: every offer read, every unit scored in Python;
    with the proposal each declined unit would have had."""
    this_week = first_open_week(TODAY)
    asa = referral.asa_class
    assert asa is not None
    sending = referral.sending_unit.hospital
    units: dict[int, list[CapacityOffer]] = {}
    offers = CapacityOffer.objects.active().filter(
        diagnosis_group_id=referral.diagnosis_group_id, week_start__gte=this_week
    )
    for offer in offers.select_related("unit__hospital__region"):
        units.setdefault(offer.unit_id, []).append(offer)
    days = ConfirmationLimit.objects.get().days
    proposals: list[Proposal] = []
    own_region = too_far = 0
    too_low: list[int] = []
    full: list[date] = []
    for unit_offers in units.values():
        hospital = unit_offers[0].unit.hospital
        distance = great_circle_km(
            float(sending.latitude), float(sending.longitude), float(hospital.latitude), float(hospital.longitude)
        )
        fitting = [o for o in unit_offers if o.max_asa >= asa and o.reserved_slots < o.slots]
        if hospital.region_id == sending.region_id:
            own_region += 1
        elif referral.max_travel_km is not None and distance > referral.max_travel_km:
            too_far += 1
        elif fitting:
            proposals.append(_proposal(referral, unit_offers[0], fitting, distance, days))
        elif max(o.max_asa for o in unit_offers) < asa:
            too_low.append(max(o.max_asa for o in unit_offers))
        else:
            full.append(max(o.week_start for o in unit_offers))
    proposals.sort(key=lambda p: p.sort_key)
    exclusions = excluded.exclusions(
        referral,
        this_week,
        own_region=own_region,
        too_low=len(too_low),
        highest_asa=max(too_low, default=0),
        full=len(full),
        last_week=max(full, default=this_week),
        offered_elsewhere=max(len(proposals), too_far) > 0,
    )
    exclusions += excluded.too_far(too_far)
    by_unit = {p.unit_id: p for p in proposals}
    declined_ids = {d.unit_id for d in declined}
    return MatchResult(
        proposals=[p for p in proposals if p.unit_id not in declined_ids],
        exclusions=exclusions,
        declined=[],
        ranked_units=len([p for p in proposals if p.unit_id not in declined_ids]),
    ), {d.unit_id: by_unit.get(d.unit_id) for d in declined}


def _proposal(
    referral: Referral, first: CapacityOffer, fitting: list[CapacityOffer], distance: float, days: int
) -> Proposal:
    week = min(o.week_start for o in fitting)
    confirmed_on = timezone.localdate(min(o.confirmed_at for o in fitting))
    target, deadline = referral.medical_target_date, referral.care_guarantee_deadline
    if target is not None and week <= target:
        timeliness = Timeliness.BY_TARGET_DATE
    elif deadline is None or week <= deadline:
        timeliness = Timeliness.BY_DEADLINE
    else:
        timeliness = Timeliness.AFTER_DEADLINE
    unit = first.unit
    return Proposal(
        unit_id=unit.pk,
        unit_name=unit.name,
        hospital_name=unit.hospital.name,
        region_name=unit.hospital.region.name,
        first_free_week=week,
        free_slots=sum(o.slots - o.reserved_slots for o in fitting),
        free_weeks=len(fitting),
        days_vs_target=(week - target).days if target else None,
        days_vs_deadline=(week - deadline).days if deadline else None,
        timeliness=timeliness,
        same_healthcare_region=unit.hospital.region.healthcare_region_id
        == referral.sending_unit.hospital.region.healthcare_region_id,
        distance_km=distance,
        confirmed_on=confirmed_on,
        unconfirmed=confirmation_stale(confirmed_on, today=TODAY, days=days),
    )


def _country(world, rng: random.Random, group, n_units: int) -> list[int]:
    """Units in the request's region, its healthcare region and others, some at the same place (ties)."""
    regions = [world.home_region, world.neighbour_region, world.far_region, RegionFactory(), RegionFactory()]
    places = [(Decimal("55.71340"), Decimal("13.19560"))] + [
        (Decimal(f"{rng.uniform(55.3, 60.0):.5f}"), Decimal(f"{rng.uniform(11.5, 19.0):.5f}")) for _ in range(8)
    ]
    hospitals = [
        HospitalFactory(region=rng.choice(regions), latitude=lat, longitude=lon)
        for lat, lon in rng.choices(places, k=max(n_units // 3, 1))
    ]
    user = UserFactory(username="publisher")
    units = [UnitFactory(hospital=rng.choice(hospitals)) for _ in range(n_units)]
    offers = []
    for unit in units:
        max_asa = rng.choice([AsaClass.II, AsaClass.III, AsaClass.IV, AsaClass.V])
        for week in rng.sample(range(-1, 9), rng.randint(1, 5)):
            slots = rng.randint(1, 3)
            offers.append(
                CapacityOffer(
                    unit=unit,
                    diagnosis_group=group if rng.random() < 0.9 else DiagnosisGroupFactory(),
                    week_start=THIS_WEEK + timedelta(weeks=week),
                    slots=slots,
                    reserved_slots=rng.choice([0, 0, slots, min(1, slots)]),
                    max_asa=max_asa if rng.random() < 0.8 else rng.choice([AsaClass.III, AsaClass.IV]),
                    care_type="inpatient",
                    created_by=user,
                    confirmed_by=user,
                    confirmed_at=_confirmed(rng),
                    withdrawn_at=timezone.now() if rng.random() < 0.05 else None,
                )
            )
    CapacityOffer.objects.bulk_create(offers)
    return [u.pk for u in units]


def _confirmed(rng: random.Random) -> datetime:
    """Around the limit of 14 days, at either end of a day (the local date decides)."""
    day = TODAY - timedelta(days=rng.choice([0, 3, 14, 15, 40]))
    return timezone.make_aware(datetime.combine(day, time(rng.choice([0, 23]), 30)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_database_ranks_as_python_does(world, seed):
    rng = random.Random(seed)
    group = DiagnosisGroupFactory()
    unit_ids = _country(world, rng, group, n_units=45)
    for _ in range(12):
        decision = TODAY - timedelta(days=rng.randint(0, 80))
        referral = ReferralFactory(
            status=ReferralStatus.DRAFT,  # a draft may lack the dates: matching reads what there is
            sending_unit=world.home_unit,
            diagnosis_group=group,
            asa_class=rng.choice([AsaClass.II, AsaClass.III, AsaClass.IV, AsaClass.V]),
            decision_date=decision,
            medical_target_date=rng.choice([None, decision + timedelta(days=rng.choice([14, 30, 60]))]),
            care_guarantee_deadline=rng.choice([None, decision + timedelta(days=90)]),
            max_travel_km=rng.choice([None, None, 50, 150, 300]),
        )
        referral = Referral.objects.select_related("sending_unit__hospital__region", "diagnosis_group").get(
            pk=referral.pk
        )
        declined = [
            EarlierDecline(unit_id=pk, unit_name="", hospital_name="", region_name="", on=TODAY, reason="")
            for pk in rng.sample(unit_ids, rng.choice([0, 1, 3]))
        ]
        expected, expected_declined = reference_ranking(referral, declined)
        result = rank_receiving_units(referral, today=TODAY, declined=declined)
        assert result.proposals == expected.proposals[:TOP_N]
        assert result.ranked_units == expected.ranked_units
        assert result.more == max(expected.ranked_units - TOP_N, 0)
        assert result.exclusions == expected.exclusions
        assert {d.unit_id: d.proposal for d in result.declined} == expected_declined
        assert [p.reasons for p in result.proposals] == [p.reasons for p in expected.proposals[:TOP_N]]
        # A unit asked for by id comes with its proposal wherever it ranks.
        if expected.proposals:
            last = expected.proposals[-1]
            wanted = rank_receiving_units(referral, today=TODAY, declined=declined, units=[last.unit_id])
            assert wanted.proposals[-1] == last
            assert wanted.proposals[:TOP_N] == expected.proposals[:TOP_N]


def _unit_with_capacity(region, group, n: int) -> int:
    unit = UnitFactory(hospital=HospitalFactory(region=region, latitude=Decimal(f"{56 + n / 100:.5f}")))
    CapacityOffer.objects.create(
        unit=unit,
        diagnosis_group=group,
        week_start=THIS_WEEK + timedelta(weeks=1),
        slots=2,
        max_asa=AsaClass.IV,
        care_type="inpatient",
        created_by=UserFactory(username="publisher"),
        confirmed_by=UserFactory(username="publisher"),
    )
    return unit.pk


@pytest.mark.parametrize("units", [4, TOP_N + 15, 3 * TOP_N])
def test_one_query_and_the_top_n_whatever_the_number_of_units(world, django_assert_num_queries, units):
    """The cost is one query and at most TOP_N proposals, with units beyond it counted; the nearest first."""
    group = DiagnosisGroupFactory()
    ids = [_unit_with_capacity(world.neighbour_region, group, n) for n in range(units)]
    referral = ReferralFactory(
        status=ReferralStatus.SUBMITTED, sending_unit=world.home_unit, diagnosis_group=group, asa_class=AsaClass.III
    )
    referral = Referral.objects.select_related("sending_unit__hospital__region", "diagnosis_group").get(pk=referral.pk)
    declined = [EarlierDecline(unit_id=ids[-1], unit_name="", hospital_name="", region_name="", on=TODAY, reason="")]
    with django_assert_num_queries(1):
        result = rank_receiving_units(referral, today=TODAY, declined=declined, units=[ids[-2]])
    shown = min(units - 1, TOP_N)
    assert [p.unit_id for p in result.proposals[:shown]] == ids[:shown]
    assert result.ranked_units == units - 1
    assert result.more == max(units - 1 - len(result.proposals), 0)
    assert result.proposals[-1].unit_id == ids[-2]  # asked for: there wherever it ranks
    assert result.declined[0].proposal is not None and result.declined[0].proposal.unit_id == ids[-1]
