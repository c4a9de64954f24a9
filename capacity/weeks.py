"""ISO weeks, as Swedish healthcare plans in them (v. 48 2026 = the week starting Monday 2026-11-23).

`format_week` is the one way a week is shown to people ("v. 48 2026"); `iso_week` is the machine form
("2026-W48") for the API and logs. `parse_week` reads what people type: "v. 48 2026", "v 48", "vecka 48",
"2026-W48", "2026-w48", "2026 48".
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sot.working_days import FRIDAY, is_working_day

ERROR_WEEK_FORMAT = _("Write the week as a week number, for example v. 48 or v. 48 2026.")
ERROR_WEEK_MISSING = _("%(year)s has no week %(week)s.")

_DASH = r"[-‐–]"
# "2026-W48", "2026-w48", "2026W48", "2026-V48", "2026 48": year first, as ISO writes it.
_YEAR_FIRST = re.compile(rf"^(?P<year>\d{{4}})\s*{_DASH}?\s*[WwVv]?\s*(?P<week>\d{{1,2}})$")
# "v. 48 2026", "v 48", "v.48", "vecka 48", "V48 2027", "w 48", "week 48": the week first, as Swedes say it.
_WEEK_FIRST = re.compile(
    rf"^(?:v(?:ecka)?|w(?:eek)?)\s*\.?\s*(?P<week>\d{{1,2}})(?:\s*[,/]?\s*{_DASH}?\s*(?P<year>\d{{4}}))?$",
    re.IGNORECASE,
)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def first_open_week(today: date) -> date:
    """The Monday of the first week whose working days have not all passed.

    Care is given on working days (`sot.working_days`), so from Saturday on the current week is over for
    matching, and so it is from a Friday that is a holiday (långfredagen, juldagen) or a Thursday before one.
    """
    monday = monday_of(today)
    friday = monday + timedelta(days=FRIDAY)
    left = (today + timedelta(days=n) for n in range(max((friday - today).days + 1, 0)))
    return monday if any(is_working_day(day) for day in left) else monday + timedelta(weeks=1)


def _monday(year: int, week: int) -> date:
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValidationError(ERROR_WEEK_MISSING, code="missing", params={"year": year, "week": week}) from None


def parse_week(value: str, *, today: date | None = None) -> date:
    """What a person types for a week → the Monday of that ISO week.

    A week without a year ("v 48") is the coming one: this ISO year's week, or next year's once this
    year's has ended. Capacity is only ever published for weeks ahead, so in December "v 2" means January.
    """
    text = " ".join((value or "").split())
    match = _YEAR_FIRST.match(text) or _WEEK_FIRST.match(text)
    if not match:
        raise ValidationError(ERROR_WEEK_FORMAT, code="format")
    week = int(match.group("week"))
    if match.group("year"):
        return _monday(int(match.group("year")), week)
    today = today or timezone.localdate()
    this_year = today.isocalendar()[0]
    if week < 1 or week > 53:
        raise ValidationError(ERROR_WEEK_MISSING, code="missing", params={"year": this_year, "week": week})
    try:
        monday = date.fromisocalendar(this_year, week, 1)
    except ValueError:  # week 53 in a year of 52 weeks: the next year that has it is too far to guess
        raise ValidationError(ERROR_WEEK_MISSING, code="missing", params={"year": this_year, "week": week}) from None
    if monday + timedelta(days=6) < today:
        monday = _monday(this_year + 1, week)
    return monday


def format_week(monday: date) -> str:
    """The week as people read it: "v. 48 2026" (English "wk 48 2026")."""
    year, week, _weekday = monday.isocalendar()
    return gettext("wk %(week)s %(year)s") % {"week": week, "year": year}


def iso_week(monday: date) -> str:
    """The week as ISO 8601 writes it, for machines: "2026-W48"."""
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_number(monday: date) -> int:
    return monday.isocalendar()[1]
