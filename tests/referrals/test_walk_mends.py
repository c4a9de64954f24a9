"""Mends from a walk through the coordinator's day in Chromium: the propose confirmation for a unit
outside the ranking, care given before the planned date, warnings that are warnings, date fields with
a format hint, and Swedish holidays that are not working days."""

from __future__ import annotations

from datetime import date

import pytest

from capacity.weeks import first_open_week
from referrals.working_days import first_day_within, is_working_day, next_working_day, working_days_between

# --- 5. working days: Swedish public holidays and the three eves ----------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        "2026-12-24",  # julafton (Thursday)
        "2026-12-25",  # juldagen (Friday)
        "2026-12-31",  # nyårsafton (Thursday)
        "2027-01-01",  # nyårsdagen (Friday)
        "2026-06-19",  # midsommarafton (Friday)
        "2026-04-03",  # långfredagen
        "2026-04-06",  # annandag påsk
        "2026-05-14",  # Kristi himmelsfärds dag (Thursday)
        "2026-01-06",  # trettondedag jul (Tuesday)
        "2026-05-01",  # första maj (Friday)
    ],
)
def test_swedish_holidays_and_eves_are_not_working_days(day):
    assert not is_working_day(date.fromisoformat(day))


@pytest.mark.parametrize(
    "day",
    [
        "2026-12-23",  # the day before julafton
        "2026-12-28",  # the Monday after annandag jul
        "2026-12-30",
        "2026-06-18",  # the day before midsommarafton
        "2026-04-02",  # skärtorsdagen is a working day
        "2026-04-07",
        "2027-01-04",
    ],
)
def test_ordinary_weekdays_around_them_are_working_days(day):
    assert is_working_day(date.fromisoformat(day))


def test_weekends_stay_non_working_whatever_the_calendar_says_of_sundays():
    assert not is_working_day(date(2026, 12, 26))  # annandag jul, a Saturday
    assert not is_working_day(date(2026, 12, 27))  # a Sunday
    assert not is_working_day(date(2026, 6, 20))  # midsommardagen, a Saturday


def test_counts_skip_the_holidays():
    # Wednesday 23 December to Monday 28 December: julafton, juldagen and the weekend are not counted.
    assert working_days_between(date(2026, 12, 23), date(2026, 12, 28)) == 1
    # Over New Year: 30 Dec -> 4 Jan 2027 counts only Monday 4 January.
    assert working_days_between(date(2026, 12, 30), date(2027, 1, 4)) == 1
    # Easter 2026: Thursday 2 April to Tuesday 7 April, only the Tuesday.
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 1
    # Midsommar: Thursday 18 June to Monday 22 June, only the Monday.
    assert working_days_between(date(2026, 6, 18), date(2026, 6, 22)) == 1
    # An ordinary fortnight still counts ten.
    assert working_days_between(date(2026, 11, 27), date(2026, 12, 11)) == 10


def test_next_working_day_and_first_day_within_skip_the_holidays():
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 28)
    assert next_working_day(date(2026, 12, 31)) == date(2027, 1, 4)
    assert next_working_day(date(2026, 4, 3)) == date(2026, 4, 7)
    assert next_working_day(date(2026, 6, 19)) == date(2026, 6, 22)
    # On Monday 28 December, a limit of one working day: entered on Wednesday 23rd it has waited one
    # (the 28th) and is within; entered on the 22nd it has waited two.
    assert first_day_within(1, today=date(2026, 12, 28)) == date(2026, 12, 23)


def test_the_first_open_capacity_week_ends_with_its_last_working_day():
    assert first_open_week(date(2026, 12, 23)) == date(2026, 12, 21)
    assert first_open_week(date(2026, 12, 24)) == date(2026, 12, 28)  # julafton, juldagen: the week is over
    assert first_open_week(date(2026, 4, 3)) == date(2026, 4, 6)  # långfredagen
    assert first_open_week(date(2026, 11, 27)) == date(2026, 11, 23)  # an ordinary Friday
    assert first_open_week(date(2026, 11, 28)) == date(2026, 11, 30)
