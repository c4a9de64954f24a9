from __future__ import annotations

from typing import Any

from django import template

from reports.months import month_label as _month_label

register = template.Library()


@register.filter
def month_label(month: Any) -> str:
    """A report's month as words: "oktober 2026"."""
    return _month_label(month) if month else ""
