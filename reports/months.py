"""Months: as people read them ("oktober 2026": Swedish writes month names in lower case; "October 2026"),
and runs of months."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.translation import get_language


def month_label(month: date | str) -> str:
    """The month of a date, or of a "2026-10" string (as a report's figures hold it), with its year."""
    if isinstance(month, str):
        month = date.fromisoformat(f"{month[:7]}-01")
    name = str(MONTHS[month.month])
    if (get_language() or "").startswith("sv"):
        name = name.lower()
    return f"{name} {month.year}"


def short_month_label(month: date) -> str:
    """A chart axis's month: "okt 26", "Oct 26"."""
    name = str(MONTHS_3[month.month])
    if not (get_language() or "").startswith("sv"):
        name = name.title()
    return f"{name} {month:%y}"


def last_month(today: date | None = None) -> date:
    """The first day of the month before `today`'s (Stockholm): the latest month that has ended."""
    first = (today or timezone.localdate()).replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def months_ending(last: date, count: int) -> list[date]:
    """The `count` months up to and including `last`'s month, oldest first."""
    months = [last.replace(day=1)]
    while len(months) < count:
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return months


def months_between(first: date, last: date) -> list[date]:
    """Every month from `first`'s to `last`'s, both included, oldest first."""
    months = [first.replace(day=1)]
    while months[-1] < last.replace(day=1):
        months.append((months[-1].replace(day=28) + timedelta(days=4)).replace(day=1))
    return months
