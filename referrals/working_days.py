"""Counting working days for the SOT queue's wait limits and the accept form's first planned day.

What a working day is has one definition, `sot.working_days.is_working_day` (Monday to Friday, not a
Swedish public holiday nor midsommarafton, julafton or nyårsafton); it sits in `sot` so that capacity
(below referrals) can use it too. Every count here goes through it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from sot.working_days import is_holiday, is_working_day, working_days_after

__all__ = ["first_day_within", "is_holiday", "is_working_day", "next_working_day", "start_of", "working_days_between"]

ONE_DAY = timedelta(days=1)


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += ONE_DAY
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`: a request that entered a status on a
    Friday has waited one working day on Monday, none on Saturday."""
    return working_days_after(start, end)


def first_day_within(limit: int, *, today: date) -> date:
    """The earliest day on which a request may have entered a status and, today, still be within
    `limit` working days in it. Entered on any earlier day, it has waited longer than the limit."""
    day, waited = today, 0  # waited = working_days_between(day, today)
    while True:
        if is_working_day(day):
            waited += 1  # one day earlier puts `day` itself inside the wait
        if waited > limit:
            return day
        day -= ONE_DAY


def start_of(day: date) -> datetime:
    """Midnight at the start of `day`, in the project's time zone (Europe/Stockholm)."""
    return timezone.make_aware(datetime.combine(day, time.min))
