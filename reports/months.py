"""A month as people read it: "oktober 2026" (Swedish writes month names in lower case), "October 2026"."""

from __future__ import annotations

from datetime import date

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
