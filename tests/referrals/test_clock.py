"""The care-guarantee clock at its boundaries."""

from __future__ import annotations

from datetime import date

from referrals.clock import Period, care_guarantee_deadline, default_target_date, paused_days, wait_status

DECISION = date(2026, 1, 10)


def test_deadline_is_ninety_calendar_days_after_decision():
    assert care_guarantee_deadline(DECISION, 90) == date(2026, 4, 10)


def test_a_region_may_use_a_shorter_limit():
    assert care_guarantee_deadline(DECISION, 60) == date(2026, 3, 11)


def test_each_paused_day_moves_the_deadline_one_day():
    one_day = [Period(date(2026, 2, 1), date(2026, 2, 1))]
    assert care_guarantee_deadline(DECISION, 90, one_day) == date(2026, 4, 11)
    week = [Period(date(2026, 2, 1), date(2026, 2, 7))]
    assert care_guarantee_deadline(DECISION, 90, week) == date(2026, 4, 17)


def test_overlapping_and_adjacent_pauses_count_each_day_once():
    assert paused_days([Period(date(2026, 2, 1), date(2026, 2, 10)), Period(date(2026, 2, 5), date(2026, 2, 12))]) == 12
    assert paused_days([Period(date(2026, 2, 1), date(2026, 2, 3)), Period(date(2026, 2, 4), date(2026, 2, 4))]) == 4
    assert paused_days([Period(date(2026, 2, 1), date(2026, 2, 3)), Period(date(2026, 3, 1), date(2026, 3, 2))]) == 5


def test_paused_days_until_a_date():
    assert paused_days([Period(date(2026, 2, 1), date(2026, 2, 10))], until=date(2026, 2, 4)) == 4
    assert paused_days([Period(date(2026, 2, 5), date(2026, 2, 10))], until=date(2026, 2, 4)) == 0


def test_target_date_defaults_from_priority():
    assert default_target_date(DECISION, 14) == date(2026, 1, 24)


def test_wait_status_at_the_deadline_and_one_day_after():
    deadline = care_guarantee_deadline(DECISION, 90)
    on_deadline = wait_status(today=deadline, decision_date=DECISION, deadline=deadline, target_date=None)
    assert (on_deadline.days_waited, on_deadline.days_to_deadline, on_deadline.is_overdue) == (90, 0, False)
    after = wait_status(today=date(2026, 4, 11), decision_date=DECISION, deadline=deadline, target_date=None)
    assert (after.days_to_deadline, after.is_overdue) == (-1, True)


def test_paused_days_do_not_count_as_waiting():
    pause = [Period(date(2026, 1, 20), date(2026, 1, 29))]
    status = wait_status(
        today=date(2026, 2, 9), decision_date=DECISION, deadline=None, target_date=date(2026, 2, 10), periods=pause
    )
    assert status.days_waited == 30 - 10
    assert status.days_to_target == 1 and not status.is_past_target


def test_pauses_across_month_ends_and_a_leap_day():
    # Decision 2027-12-15 + 90 days = 2028-03-14 (2028 is a leap year: February has 29 days).
    decision = date(2027, 12, 15)
    assert care_guarantee_deadline(decision, 90) == date(2028, 3, 14)
    # A pause from 30 January to 2 February covers 4 days across the month end.
    pause = [Period(date(2028, 1, 30), date(2028, 2, 2))]
    assert paused_days(pause) == 4
    assert care_guarantee_deadline(decision, 90, pause) == date(2028, 3, 18)
    # A pause over the year end: 28 December to 3 January is 7 days.
    year_end = [Period(date(2027, 12, 28), date(2028, 1, 3))]
    assert care_guarantee_deadline(decision, 90, year_end) == date(2028, 3, 21)
