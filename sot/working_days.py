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

from datetime import date
from functools import lru_cache

import holidays

FRIDAY = 4


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
