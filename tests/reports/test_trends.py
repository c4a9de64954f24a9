"""The figures over months: every figure at its edges against hand-computed values, on both databases."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from referrals import services
from referrals.models import (
    CloseReason,
    DeclineReason,
    Obstacle,
    ObstacleCategory,
    ObstacleSource,
    ReferralStatus,
    WaitPause,
    WaitPauseKind,
    WithdrawReason,
)
from reports.figures import compute_figures
from reports.scopes import Scope
from reports.trends import compute_trends, months_ending
from tests.factories import ReferralFactory, UnitFactory
from tests.reports.test_reports import _receiver, accepted, stockholm

OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)
ALL = Scope("all")


def trends(world=None, *, last=NOVEMBER, months=2, scope=ALL):
    return compute_trends(last=last, scope=scope, months=months)


def test_months_ending():
    assert months_ending(date(2026, 2, 14), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert len(months_ending(NOVEMBER, 12)) == 12 and months_ending(NOVEMBER, 12)[0] == date(2025, 12, 1)


def test_coordinated_at_the_edges_of_the_months(world):
    accepted(world, stockholm(2026, 10, 1, 0, 0))
    accepted(world, stockholm(2026, 10, 25, 2, 30, fold=1))  # the repeated hour when summer time ends
    accepted(world, stockholm(2026, 10, 31, 23, 59))
    accepted(world, stockholm(2026, 11, 1, 0, 0))  # November
    accepted(world, stockholm(2026, 9, 30, 23, 59))  # before the range
    accepted(world, stockholm(2026, 10, 15, 12), receiving=UnitFactory(hospital=world.home_unit.hospital))  # own
    result = trends()
    assert result["months"] == ["2026-10", "2026-11"]
    assert result["coordinated"] == [3, 1]
    # the same definition as the monthly report's
    assert [compute_figures(month=m, scope=ALL)["coordinated_total"] for m in (OCTOBER, NOVEMBER)] == [3, 1]
    assert result["coordinated_by_receiving_region"] == [{"label": "Region Blekinge", "counts": [3, 1], "total": 4}]
    assert result["coordinated_by_group"] == [{"label": "Höft- och knäledsartros", "counts": [3, 1], "total": 4}]


def test_median_days_to_acceptance_and_after_deadline(world):
    # accepted 10 days after submission (the helper); one of three past its deadline
    accepted(
        world, stockholm(2026, 10, 5, 12), care_guarantee_deadline=date(2026, 10, 4), decision_date=date(2026, 9, 1)
    )
    accepted(
        world, stockholm(2026, 10, 6, 12), care_guarantee_deadline=date(2026, 10, 6), decision_date=date(2026, 9, 1)
    )  # on the day: in time
    referral = accepted(world, stockholm(2026, 10, 7, 12))
    type(referral).objects.filter(pk=referral.pk).update(submitted_at=stockholm(2026, 9, 7, 12))  # 30 days
    result = trends()
    assert result["median_days_to_acceptance"] == [10.0, None]
    assert result["accepted_after_deadline"] == [1, 0]


def test_loop_closure(world):
    first = accepted(world, stockholm(2026, 10, 5, 12))
    accepted(world, stockholm(2026, 10, 6, 12))
    accepted(world, stockholm(2026, 10, 7, 12))
    accepted(world, stockholm(2026, 10, 8, 12))
    services.referral_complete(
        referral=first,
        by=_receiver(world, world.neighbour_unit),
        care_given_date=date(2026, 11, 20),  # given in November: the acceptance's month counts it
        at=stockholm(2026, 11, 20, 12),
    )
    result = trends()
    assert result["care_given"] == [1, 0]
    assert result["loop_closure"] == [25.0, None]  # 1 of 4; no acceptances in November: no share


def _submitted(world, at: datetime):
    decided = at.date() - timedelta(days=1)
    referral = ReferralFactory(
        sending_unit=world.home_unit, decision_date=decided, care_guarantee_deadline=decided + timedelta(days=90)
    )
    services.referral_submit(referral=referral, by=world.unit_staff, at=at)
    return referral


def test_median_days_in_each_state(world):
    one = _submitted(world, stockholm(2026, 10, 1, 10))
    services.referral_take(referral=one, by=world.sot, at=stockholm(2026, 10, 3, 10))  # 2 days submitted
    two = _submitted(world, stockholm(2026, 10, 1, 10))
    services.referral_take(referral=two, by=world.sot, at=stockholm(2026, 10, 5, 10))  # 4 days submitted
    services.referral_close(referral=two, by=world.sot, reason=CloseReason.NO_RECEIVER, at=stockholm(2026, 11, 1, 10))
    three = _submitted(world, stockholm(2026, 10, 30, 10))
    services.referral_take(referral=three, by=world.sot, at=stockholm(2026, 11, 2, 10))  # ends in November: 3 days
    states = {row["state"]: row["days"] for row in trends()["median_days_in_state"]}
    assert states["Inskickad"] == [3.0, 3.0]
    assert states["Under handläggning"] == [None, 27.0]  # 5 October 10:00 to 1 November 10:00, one hour longer
    assert states["Föreslagen"] == [None, None]


@pytest.mark.parametrize(
    ("days", "band"),
    [(0, 0), (30, 0), (31, 1), (60, 1), (61, 2), (90, 2), (91, 3)],
)
def test_waiting_bands_at_their_edges(world, days, band):
    # open at 31 October, waited `days` days on that day
    ReferralFactory(
        sending_unit=world.home_unit,
        status=ReferralStatus.SUBMITTED,
        decision_date=date(2026, 10, 31) - timedelta(days=days),
        care_guarantee_deadline=date(2027, 1, 1),
        submitted_at=stockholm(2026, 10, 31, 23, 59) if days == 0 else stockholm(2026, 8, 1) - timedelta(days=40),
    )
    bands = trends(last=OCTOBER, months=1)["waiting_bands"]
    assert [row["label"] for row in bands] == ["0–30", "31–60", "61–90", "över 90"]
    assert [row["counts"] for row in bands] == [[1 if i == band else 0] for i in range(4)]


def test_waiting_bands_count_requests_open_at_month_end_and_exclude_patient_chosen_waiting(world):
    decided = date(2026, 10, 31) - timedelta(days=95)  # 95 days on 31 October
    submitted = stockholm(2026, 7, 28, 12)
    pvv = ReferralFactory(
        sending_unit=world.home_unit,
        status=ReferralStatus.SUBMITTED,
        decision_date=decided,
        care_guarantee_deadline=date(2027, 1, 1),
        submitted_at=submitted,
    )
    WaitPause.objects.create(
        referral=pvv, kind=WaitPauseKind.PATIENT_CHOSEN, start_date=date(2026, 9, 1), end_date=date(2026, 9, 10)
    )  # 10 days of the patient's choice: 85
    mov = ReferralFactory(
        sending_unit=world.home_unit,
        status=ReferralStatus.SUBMITTED,
        decision_date=decided,
        care_guarantee_deadline=date(2027, 1, 1),
        submitted_at=submitted,
    )
    WaitPause.objects.create(
        referral=mov, kind=WaitPauseKind.MEDICAL, start_date=date(2026, 9, 1), end_date=date(2026, 9, 10)
    )  # medically caused: still 95
    finished = _submitted(world, stockholm(2026, 10, 1, 10))
    services.referral_withdraw(
        referral=finished, by=world.unit_staff, reason=WithdrawReason.OTHER, at=stockholm(2026, 10, 31, 23, 59)
    )  # finished before the end of October
    later = _submitted(world, stockholm(2026, 10, 2, 10))
    services.referral_withdraw(
        referral=later, by=world.unit_staff, reason=WithdrawReason.OTHER, at=stockholm(2026, 11, 1, 0, 0)
    )  # still open at the end of October
    ReferralFactory(
        sending_unit=world.home_unit,
        status=ReferralStatus.SUBMITTED,
        decision_date=decided,
        care_guarantee_deadline=date(2027, 1, 1),
        submitted_at=stockholm(2026, 11, 1, 0, 0),
    )  # submitted in November
    bands = {row["label"]: row["counts"] for row in trends()["waiting_bands"]}
    # October: `later` (30 days), pvv (85), mov (95); November: pvv 115, mov 125, the November one 125, none else
    assert bands == {"0–30": [1, 0], "31–60": [0, 0], "61–90": [1, 0], "över 90": [1, 3]}


def test_declines_closings_and_obstacles_by_reason(world):
    one = _submitted(world, stockholm(2026, 10, 1, 10))
    services.referral_take(referral=one, by=world.sot, at=stockholm(2026, 10, 1, 11))
    services.referral_propose(
        referral=one, by=world.sot, unit=world.neighbour_unit, reason="x", at=stockholm(2026, 10, 1, 12)
    )
    services.referral_decline(
        referral=one,
        by=_receiver(world, world.neighbour_unit),
        reason=DeclineReason.NO_CAPACITY,
        at=stockholm(2026, 10, 31, 23, 59),
    )
    services.referral_close(referral=one, by=world.sot, reason=CloseReason.NO_RECEIVER, at=stockholm(2026, 11, 1, 0, 0))
    for at, region in [
        (stockholm(2026, 10, 31, 23, 59), world.home_region),
        (stockholm(2026, 11, 1, 0, 0), world.home_region),
        (stockholm(2026, 11, 2, 0, 0), world.neighbour_region),  # another region's
    ]:
        Obstacle.objects.create(
            category=ObstacleCategory.CAPACITY,
            text="Ingen plats",
            region=region,
            source=ObstacleSource.STANDALONE,
            created_by=world.sot,
            created_at=at,
        )
    result = trends(scope=Scope("region", region=world.home_region))
    assert result["declines_by_reason"] == [{"label": "Ingen kapacitet i tid", "counts": [1, 0], "total": 1}]
    assert result["closings_by_reason"] == [
        {"label": "Ingen mottagande verksamhet hittades", "counts": [0, 1], "total": 1}
    ]
    assert result["obstacles_by_category"] == [{"label": "Kapacitet", "counts": [1, 1], "total": 2}]


def test_scope_covers_the_sending_region(world):
    accepted(world, stockholm(2026, 10, 5, 12))
    other = ReferralFactory(
        sending_unit=world.neighbour_unit,
        status=ReferralStatus.PROPOSED,
        receiving_unit=world.far_unit,
        submitted_at=stockholm(2026, 10, 1, 12),
    )
    services.referral_accept(
        referral=other,
        by=_receiver(world, world.far_unit),
        planned_date=date(2026, 10, 20),
        at=stockholm(2026, 10, 6, 12),
    )
    assert trends(scope=Scope("region", region=world.home_region))["coordinated"] == [1, 0]
    assert trends(scope=Scope("region", region=world.neighbour_region))["coordinated"] == [1, 0]
    assert trends(scope=Scope("healthcare_region", healthcare_region=world.south))["coordinated"] == [2, 0]
    assert trends(scope=Scope("healthcare_region", healthcare_region=world.southeast))["coordinated"] == [0, 0]


def test_query_count_is_the_same_for_3_and_12_months(world):
    accepted(world, stockholm(2026, 10, 5, 12))
    counts = []
    for months in (3, 12):
        with CaptureQueriesContext(connection) as queries:
            compute_trends(last=NOVEMBER, scope=Scope("region", region=world.home_region), months=months)
        counts.append(len(queries))
    assert counts[0] == counts[1]
