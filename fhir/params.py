"""Reading FHIR search values: tokens (`system|code`), references (`Type/id` or `id`) and dates with
prefixes (`ge2026-11-01`), each refused with a 400 OperationOutcome when it cannot be read."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from fhir.outcomes import Invalid

_DATE = re.compile(r"^(?P<prefix>eq|ne|ge|le|gt|lt|sa|eb)?(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


def token(value: str) -> tuple[str | None, str]:
    """`system|code` → (system, code); `code` → (None, code); `|code` → ("", code)."""
    if "|" in value:
        system, code = value.split("|", 1)
        return system, code
    return None, value


def reference_id(value: str, resource_type: str) -> str:
    """The id in `Type/id`, `id` or a full URL ending in `Type/id`."""
    parts = value.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2] != resource_type:
        raise Invalid(_("A reference to %(type)s is expected here.") % {"type": resource_type})
    return parts[-1]


def date_condition(field: str, value: str) -> Q:
    """A date search value as a condition on a date or datetime field: the value names a period (a year, a
    month, a day) and the prefix compares with it (FHIR search, "date")."""
    match = _DATE.match(value)
    if not match:
        raise Invalid(_("Give the date as YYYY, YYYY-MM or YYYY-MM-DD, with a prefix such as ge or lt."))
    prefix = match.group("prefix") or "eq"
    year, month, day = int(match.group("year")), match.group("month"), match.group("day")
    try:
        if day:
            start = date(year, int(month), int(day))
            end = start + timedelta(days=1)
        elif month:
            start = date(year, int(month), 1)
            end = date(year + (start.month == 12), start.month % 12 + 1, 1)
        else:
            start, end = date(year, 1, 1), date(year + 1, 1, 1)
    except ValueError:
        raise Invalid(_("The date does not exist.")) from None
    zone = ZoneInfo(settings.TIME_ZONE)
    lo, hi = (datetime.combine(d, time.min, tzinfo=zone) for d in (start, end))
    conditions = {
        "eq": Q(**{f"{field}__gte": lo, f"{field}__lt": hi}),
        "ne": ~Q(**{f"{field}__gte": lo, f"{field}__lt": hi}),
        "ge": Q(**{f"{field}__gte": lo}),
        "sa": Q(**{f"{field}__gte": hi}),
        "gt": Q(**{f"{field}__gte": hi}),
        "le": Q(**{f"{field}__lt": hi}),
        "eb": Q(**{f"{field}__lt": lo}),
        "lt": Q(**{f"{field}__lt": lo}),
    }
    return conditions[prefix] & Q(**{f"{field}__isnull": False})
