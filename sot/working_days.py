"""What a working day is, the one definition in SOT: Monday to Friday, except Swedish public holidays and
the three eves Swedish healthcare plans as holidays (midsommarafton, julafton, nyårsafton).

The calendar is python-holidays' Swedish one (`holidays.country_holidays("SE")`): its public holidays
(nyårsdagen, trettondedag jul, långfredagen, annandag påsk, första maj, Kristi himmelsfärds dag,
nationaldagen, midsommardagen, alla helgons dag, juldagen, annandag jul, and the Sundays påskdagen and
pingstdagen) and its de facto holidays (the three eves). Sundays in general are not asked for
(`include_sundays=False`): the weekend is left out by the weekday anyway. Counting lives in
`referrals.working_days`; the first open capacity week in `capacity.weeks`; both ask `is_working_day`.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from functools import lru_cache

import holidays

FRIDAY = 4
WEEK = 7


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[date]:
    calendar = holidays.country_holidays(
        "SE", years=year, categories=(holidays.PUBLIC, holidays.DE_FACTO), include_sundays=False
    )
    return frozenset(calendar.keys())


def is_holiday(day: date) -> bool:
    """A Swedish public holiday, or midsommarafton, julafton or nyårsafton."""
    return day in _holidays_of(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() <= FRIDAY and not is_holiday(day)


@lru_cache(maxsize=64)
def _weekday_holidays_of(year: int) -> tuple[date, ...]:
    """The year's holidays that fall on a weekday, in order: the only ones the weekday count must take off."""
    return tuple(sorted(day for day in _holidays_of(year) if day.weekday() <= FRIDAY))


def _weekdays_after(start: date, end: date) -> int:
    """Monday to Friday after `start` up to and including `end`: whole weeks, then the days left over."""
    days = (end - start).days
    weeks, rest = divmod(days, WEEK)
    first = start.weekday()
    return weeks * 5 + sum((first + i) % WEEK <= FRIDAY for i in range(1, rest + 1))


def working_days_after(start: date, end: date) -> int:
    """The working days after `start` up to and including `end` (0 when `end` is not after `start`),
    counted without walking the days: the queue asks it for every row on every view."""
    if end <= start:
        return 0
    holidays_between = 0
    for year in range(start.year, end.year + 1):
        days = _weekday_holidays_of(year)
        holidays_between += bisect_right(days, end) - bisect_right(days, start)
    return _weekdays_after(start, end) - holidays_between
