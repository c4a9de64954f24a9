from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.utils.translation import gettext, ngettext

from referrals.models import ReferralStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key, 0)


@register.simple_tag
def statuses(codes: str) -> list[tuple[str, StrOrPromise]]:
    """(code, label) pairs for the given status codes, for count tables."""
    labels = dict(ReferralStatus.choices)
    return [(code, labels[code]) for code in codes.split()]


def _days_phrases(days: int, to: str) -> str:
    """The sentence for `days` left (negative: days past) before the deadline named by `to`."""
    n = abs(days)
    if to == "deadline":
        if days > 0:
            return ngettext(
                "%(n)s day left to the care-guarantee deadline", "%(n)s days left to the care-guarantee deadline", n
            ) % {"n": n}
        return ngettext(
            "%(n)s day after the care-guarantee deadline", "%(n)s days after the care-guarantee deadline", n
        ) % {"n": n}
    if to == "target":
        if days > 0:
            return ngettext(
                "%(n)s day left to the medical target date", "%(n)s days left to the medical target date", n
            ) % {"n": n}
        return ngettext("%(n)s day after the medical target date", "%(n)s days after the medical target date", n) % {
            "n": n
        }
    if days > 0:
        return ngettext("%(n)s day left", "%(n)s days left", n) % {"n": n}
    return ngettext("%(n)s day late", "%(n)s days late", n) % {"n": n}


@register.simple_tag
def days_left(days: int | None, to: str = "") -> str:
    """Days left as words: "12 dagar kvar till vårdgarantidatum", "i dag", "40 dagar efter vårdgarantidatum".

    `to` names the date counted to: "deadline" (the care-guarantee deadline), "target" (the medical
    target date), or nothing where the column heading says it ("12 dagar kvar", "40 dagar för sent").
    """
    if days is None:
        return "–"
    if days == 0:
        return gettext("today")
    return _days_phrases(days, to)
