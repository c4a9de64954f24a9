"""ISO weeks, as Swedish healthcare plans in them (vecka 48 = the week starting Monday 2026-11-23)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ERROR_WEEK_FORMAT = _("Write the week as year and week number, for example 2026-W48.")
ERROR_WEEK_MISSING = _("%(year)s has no week %(week)s.")

_WEEK = re.compile(r"^(?P<year>\d{4})\s*[-‐–]?\s*[WwVv]?\s*(?P<week>\d{1,2})$")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def first_open_week(today: date) -> date:
    """The Monday of the first week whose working days have not all passed.

    Care is given on working days, so from Saturday on the current week is over for matching.
    """
    monday = monday_of(today)
    return monday if today.weekday() <= FRIDAY else monday + timedelta(weeks=1)


FRIDAY = 4


def parse_week(value: str) -> date:
    """'2026-W48', '2026W48', '2026-V48', '2026 48' → the Monday of that ISO week."""
    match = _WEEK.match((value or "").strip())
    if not match:
        raise ValidationError(ERROR_WEEK_FORMAT, code="format")
    year, week = int(match.group("year")), int(match.group("week"))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValidationError(ERROR_WEEK_MISSING, code="missing", params={"year": year, "week": week}) from None
    return monday


def format_week(monday: date) -> str:
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_number(monday: date) -> int:
    return monday.isocalendar()[1]
