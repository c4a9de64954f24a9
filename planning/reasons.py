"""What the group plan says about each request, in the words of single matching where they are the same."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.weeks import format_week
from catalog.models import ASA_ROMAN
from planning.costs import HORIZON_WEEKS
from planning.graph import Blocked

if TYPE_CHECKING:
    from planning.data import Data
    from planning.plan import Assignment


def _relative(days: int, what: str) -> str:
    if days < 0:
        return ngettext("%(n)s day before %(what)s", "%(n)s days before %(what)s", -days) % {"n": -days, "what": what}
    if days == 0:
        return _("On %(what)s") % {"what": what}
    return ngettext("%(n)s day after %(what)s", "%(n)s days after %(what)s", days) % {"n": days, "what": what}


def assignment_reasons(a: Assignment) -> list[str]:
    return [
        _("Week %(week)s (from %(date)s)") % {"week": format_week(a.week), "date": a.week.isoformat()},
        _relative(a.days_vs_target, _("the medical target date")),
        _relative(a.days_vs_deadline, _("the care-guarantee deadline")),
        _("Same healthcare region") if a.same_healthcare_region else _("Another healthcare region"),
        _("%(km)s km away") % {"km": round(a.distance_km)},
    ]


def unassigned_reason(blocked: Blocked, data: Data, r: int) -> tuple[str, str]:
    """A code for machines and a sentence for people: the first hard rule that leaves no offer, or else that
    every offer that fits went to other patients of the plan."""
    if blocked == Blocked.NO_CAPACITY:
        text = _("No unit in another region has a free slot for the group in the %(weeks)s weeks planned.")
        return "no_capacity", text % {"weeks": HORIZON_WEEKS}
    if blocked == Blocked.ASA:
        return "asa", _("No unit with a free slot takes ASA %(asa)s.") % {"asa": ASA_ROMAN[data.asa[r]]}
    if blocked == Blocked.TOO_FAR:
        text = _("Every unit with a free slot that takes the patient is farther away than %(km)s km.")
        return "too_far", text % {"km": data.limits[r]}
    if blocked == Blocked.DECLINED:
        return "declined", _("The only units with a free slot that can take the patient have declined the request.")
    return "taken", _(
        "Every free slot that fits the patient goes to another patient of the plan, whose lateness would cost more."
    )
