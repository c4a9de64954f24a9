"""Working days for the SOT queue's wait limits: Monday to Friday.

Swedish public holidays are not counted out: neither python-holidays nor another maintained calendar
is installed, and a hand-rolled Easter table is not worth the risk here. A day before a holiday may
therefore mark a request one working day early.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

ONE_DAY = timedelta(days=1)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the Monday after."""
    while not is_working_day(day):
        day += ONE_DAY
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`: a request that entered a status on a
    Friday has waited one working day on Monday, none on Saturday."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    count = weeks * 5
    day = start + timedelta(days=weeks * 7)
    for _ in range(rest):
        day += ONE_DAY
        count += is_working_day(day)
    return count


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
