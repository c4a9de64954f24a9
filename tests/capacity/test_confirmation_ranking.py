"""Capacity that shows its age in the matching: the limit's boundary, the ranking order, the reason and mark."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from capacity.matching import MARK_UNCONFIRMED, REASON_UNCONFIRMED, rank_receiving_units
from capacity.models import DEFAULT_CONFIRMATION_DAYS, CapacityOffer, ConfirmationLimit, confirmation_stale
from capacity.weeks import monday_of
from catalog.models import AsaClass
from referrals.models import Referral, ReferralStatus
from tests.factories import CapacityOfferFactory, DiagnosisGroupFactory, HospitalFactory, ReferralFactory, UnitFactory
from tests.i18n import shown

TODAY = date(2026, 11, 18)  # a Wednesday in week 47
THIS_WEEK = monday_of(TODAY)
LIMIT = 10


def week(n: int) -> date:
    return THIS_WEEK + timedelta(weeks=n)


def days_ago(n: int, hour: int = 12) -> datetime:
    """A moment `n` days before TODAY, Swedish time."""
    return timezone.make_aware(datetime.combine(TODAY - timedelta(days=n), time(hour)))


@pytest.fixture
def group(db):
    return DiagnosisGroupFactory()


@pytest.fixture(autouse=True)
def limit(db):
    ConfirmationLimit.objects.update_or_create(pk=1, defaults={"days": LIMIT})


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


def offer(unit, group, n: int = 1, *, confirmed: int = 0, **kwargs) -> CapacityOffer:
    """An offer in week `n`, last confirmed `confirmed` days before TODAY."""
    return CapacityOfferFactory(
        unit=unit, diagnosis_group=group, week_start=week(n), confirmed_at=days_ago(confirmed), **kwargs
    )


def unit_in(region, lat: str = "56.00000", lon: str = "14.00000"):
    return UnitFactory(hospital=HospitalFactory(region=region, latitude=Decimal(lat), longitude=Decimal(lon)))


def ranked(referral) -> list[int]:
    return [p.unit_id for p in rank_receiving_units(referral, today=TODAY).proposals]


# --- the boundary ------------------------------------------------------------------------------


def test_the_rule_itself():
    assert not confirmation_stale(TODAY - timedelta(days=LIMIT), today=TODAY, days=LIMIT)
    assert confirmation_stale(TODAY - timedelta(days=LIMIT + 1), today=TODAY, days=LIMIT)
    assert not confirmation_stale(TODAY, today=TODAY, days=LIMIT)


@pytest.mark.parametrize(("age", "unconfirmed"), [(0, False), (LIMIT - 1, False), (LIMIT, False), (LIMIT + 1, True)])
def test_exactly_the_limit_still_counts_one_day_more_does_not(world, group, referral, age, unconfirmed):
    offer(world.neighbour_unit, group, confirmed=age)
    proposal = rank_receiving_units(referral, today=TODAY).proposals[0]
    assert proposal.unconfirmed is unconfirmed
    assert proposal.confirmed_on == TODAY - timedelta(days=age)


@pytest.mark.parametrize("hour", [0, 23])
def test_days_are_swedish_calendar_days(world, group, referral, hour):
    """Confirmed just after midnight or just before it, Swedish time: the same day either way (UTC would
    put 00:30 on the day before)."""
    CapacityOfferFactory(
        unit=world.neighbour_unit,
        diagnosis_group=group,
        week_start=week(1),
        confirmed_at=days_ago(LIMIT, hour) + timedelta(minutes=30),
    )
    assert rank_receiving_units(referral, today=TODAY).proposals[0].unconfirmed is False


def test_the_administrators_limit_decides(world, group, referral):
    offer(world.neighbour_unit, group, confirmed=LIMIT + 5)
    assert rank_receiving_units(referral, today=TODAY).proposals[0].unconfirmed
    ConfirmationLimit.objects.filter(pk=1).update(days=LIMIT + 5)
    assert not rank_receiving_units(referral, today=TODAY).proposals[0].unconfirmed


def test_without_the_row_the_default_holds(world, group, referral):
    ConfirmationLimit.objects.all().delete()
    offer(world.neighbour_unit, group, confirmed=DEFAULT_CONFIRMATION_DAYS)
    assert not rank_receiving_units(referral, today=TODAY).proposals[0].unconfirmed
    CapacityOffer.objects.update(confirmed_at=days_ago(DEFAULT_CONFIRMATION_DAYS + 1))
    assert rank_receiving_units(referral, today=TODAY).proposals[0].unconfirmed


def test_the_oldest_free_offer_decides(world, group, referral):
    """One stale free offer makes the unit's capacity unconfirmed, and its date is the one shown; an offer
    without a free slot, or for a higher ASA class only, is no part of the proposal."""
    unit = world.neighbour_unit
    offer(unit, group, 1, confirmed=0)
    offer(unit, group, 2, confirmed=LIMIT + 3)
    offer(unit, group, 3, confirmed=LIMIT + 9, slots=2, reserved_slots=2)  # full
    proposal = rank_receiving_units(referral, today=TODAY).proposals[0]
    assert proposal.unconfirmed and proposal.confirmed_on == TODAY - timedelta(days=LIMIT + 3)
    CapacityOffer.objects.filter(week_start=week(2)).update(reserved_slots=2)  # now full too
    assert not rank_receiving_units(referral, today=TODAY).proposals[0].unconfirmed


def test_still_one_query(world, group, referral, django_assert_num_queries):
    for i in range(5):
        offer(unit_in(world.neighbour_region), group, confirmed=i * 5)
    with django_assert_num_queries(1):
        assert len(rank_receiving_units(referral, today=TODAY).proposals) == 5


# --- the ranking -------------------------------------------------------------------------------


def test_unconfirmed_after_confirmed_as_timely_otherwise_the_same_order(world, group, referral):
    sending = referral.sending_unit.hospital
    here = (str(sending.latitude), str(sending.longitude))
    units = [
        (unit_in(world.far_region), 0, 1),  # other healthcare region, week 0
        (unit_in(world.neighbour_region, *here), 0, 3),  # same healthcare region, week 0, more slots
        (unit_in(world.neighbour_region, *here), 0, 1),
        (unit_in(world.neighbour_region, "59.00000", "18.00000"), 0, 1),  # farther
        (unit_in(world.neighbour_region, *here), 1, 1),  # a week later
        (unit_in(world.neighbour_region, *here), 4, 1),  # after the target date
        (unit_in(world.far_region), 7, 1),  # after the deadline
    ]
    for unit, n, slots in units:
        offer(unit, group, n, slots=slots)
    before = ranked(referral)
    assert len(before) == len(units)
    stale = {before[0], before[2], before[5]}  # the best, one in the middle, one near the end
    CapacityOffer.objects.filter(unit_id__in=stale).update(confirmed_at=days_ago(LIMIT + 1))
    after = ranked(referral)
    timeliness = {p.unit_id: p.timeliness for p in rank_receiving_units(referral, today=TODAY).proposals}
    # Within each timeliness (on time, by the deadline, late) the confirmed first, each part in its old order.
    expected = sorted(before, key=lambda u: (timeliness[u], u in stale, before.index(u)))
    assert after == expected
    assert after != before and len({timeliness[u] for u in after}) == 3


def test_an_on_time_unconfirmed_unit_beats_a_late_confirmed_one(world, group, referral):
    """Stale numbers are settled by a phone call; days lost against the deadline are not given back (seen in
    Chromium: a unit 18 days past the deadline ranked first, above two on time)."""
    on_time = unit_in(world.neighbour_region)
    offer(on_time, group, 0, confirmed=LIMIT + 1)
    late = unit_in(world.far_region)
    offer(late, group, 7)  # after the care-guarantee deadline
    assert ranked(referral) == [on_time.pk, late.pk]


# --- the reason and the mark ---------------------------------------------------------------------


def test_the_reason_and_the_mark_in_swedish(world, group, referral):
    offer(world.neighbour_unit, group, confirmed=LIMIT + 6)  # 2026-11-02
    with translation.override("sv"):
        proposal = rank_receiving_units(referral, today=TODAY).proposals[0]
        reasons, mark = proposal.reasons, proposal.unconfirmed_marker
    assert reasons[-1] == "Kapaciteten obekräftad sedan 2026-11-02"
    assert reasons[-1] == shown(REASON_UNCONFIRMED, date="2026-11-02")
    assert mark == "obekräftad sedan 2026-11-02" == shown(MARK_UNCONFIRMED, date="2026-11-02")


def test_confirmed_capacity_has_neither(world, group, referral):
    offer(world.neighbour_unit, group, confirmed=LIMIT)
    with translation.override("sv"):
        proposal = rank_receiving_units(referral, today=TODAY).proposals[0]
        assert not any("obekräftad" in reason for reason in proposal.reasons)
        assert proposal.unconfirmed_marker == ""
