"""What matching tells about the units it leaves out: each hard rule that excluded units, with how many
and why, in Swedish (`capacity.matching.rank_receiving_units` counts them; this module words them)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.weeks import format_week
from catalog.models import ASA_ROMAN


class _Request(Protocol):
    @property
    def diagnosis_group(self) -> Any: ...
    @property
    def asa_display(self) -> str: ...


class ExclusionKind(enum.StrEnum):
    INCOMPLETE = "incomplete"
    NO_OFFER = "no_offer"
    OWN_REGION = "own_region"
    ASA = "asa"
    FULL = "full"
    TOO_FAR = "too_far"
    NOT_TAKING_PART = "not_taking_part"


@dataclass(frozen=True)
class Exclusion:
    kind: ExclusionKind
    units: int
    message: str


def too_far(units: int) -> list[Exclusion]:
    if not units:
        return []
    message = ngettext(
        "%(n)s unit is farther away than the patient can travel.",
        "%(n)s units are farther away than the patient can travel.",
        units,
    )
    return [Exclusion(ExclusionKind.TOO_FAR, units, message % {"n": units})]


def not_taking_part(units: int) -> list[Exclusion]:
    """Units with matching capacity in regions that do not take part in SOT (the administrator's setting)."""
    if not units:
        return []
    message = ngettext(
        "%(n)s unit offers the group in a region that does not take part in SOT.",
        "%(n)s units offer the group in regions that do not take part in SOT.",
        units,
    )
    return [Exclusion(ExclusionKind.NOT_TAKING_PART, units, message % {"n": units})]


def exclusions(
    referral: _Request,
    this_week: date,
    *,
    own_region: int,
    too_low: int,
    highest_asa: int,
    full: int,
    last_week: date,
    offered_elsewhere: bool,
) -> list[Exclusion]:
    """`too_low` units take at most ASA `highest_asa`; `full` units have no free slot up to `last_week`."""
    group = referral.diagnosis_group
    exclusions = []
    if not offered_elsewhere and not too_low and not full:
        exclusions.append(
            Exclusion(
                ExclusionKind.NO_OFFER,
                0,
                _("No unit in another region offers %(group)s from week %(week)s on.")
                % {"group": group, "week": format_week(this_week)},
            )
        )
    if too_low:
        exclusions.append(
            Exclusion(
                ExclusionKind.ASA,
                too_low,
                ngettext(
                    "%(n)s unit offers the group but takes at most ASA %(asa)s; the patient is ASA %(patient)s.",
                    "%(n)s units offer the group but take at most ASA %(asa)s; the patient is ASA %(patient)s.",
                    too_low,
                )
                % {"n": too_low, "asa": ASA_ROMAN[highest_asa], "patient": referral.asa_display},
            )
        )
    if full:
        exclusions.append(
            Exclusion(
                ExclusionKind.FULL,
                full,
                ngettext(
                    "%(n)s unit has no free slot up to and including week %(week)s.",
                    "%(n)s units have no free slot up to and including week %(week)s.",
                    full,
                )
                % {"n": full, "week": format_week(last_week)},
            )
        )
    if own_region:
        exclusions.append(
            Exclusion(
                ExclusionKind.OWN_REGION,
                own_region,
                ngettext(
                    "%(n)s unit in the sending region offers the group; SOT coordinates care in other regions.",
                    "%(n)s units in the sending region offer the group; SOT coordinates care in other regions.",
                    own_region,
                )
                % {"n": own_region},
            )
        )
    return exclusions
