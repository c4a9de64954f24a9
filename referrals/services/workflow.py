"""The lifecycle steps: submit, take, propose, accept, decline, complete, withdraw, close.

Each is a call of `history.referral_change` with the step's values; what must commit or roll back
with the step (a capacity slot claimed or given back, an obstacle raised) runs in its `apply`, on
the row as locked.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from capacity.matching import MatchResult
from capacity.models import CapacityOffer
from organisations.models import Unit
from referrals.lifecycle import Action
from referrals.models import (
    CloseReason,
    DeclineReason,
    EventKind,
    ObstacleCategory,
    ObstacleSource,
    Referral,
    WithdrawReason,
)
from referrals.rules import ERROR_OTHER_REASON_NOTE, OTHER_REASON
from referrals.services.acceptance import _done
from referrals.services.coordination import obstacle_create
from referrals.services.history import FollowUp, Outcome, referral_change
from referrals.services.intake import referral_submission_errors
from sot.personal_numbers import ERROR_PERSONAL_NUMBER_IN_TEXT, contains_personal_number

# Messages that tests check (by constant, not by their translated text).
ERROR_PROPOSAL_NEEDS_REASON = gettext_lazy("The unit has no matching free capacity: say why you propose it anyway.")
ERROR_CARE_GIVEN_IN_FUTURE = gettext_lazy("The date care was given cannot be in the future.")
ERROR_PROPOSAL_DECLINED_BEFORE = gettext_lazy(
    "The unit declined this request on %(date)s: say why you propose it again."
)
ERROR_UNIT_NOT_TAKING_PART = gettext_lazy("The unit's region does not take part in SOT: choose another unit.")
WARNING_BEFORE_PLANNED_DATE = gettext_lazy("The planned date was %(date)s: is the date right?")
ERROR_CONFIRM_EARLY = gettext_lazy("Confirm the date to record it anyway.")


def referral_submit(*, referral: Referral, by: User, at: datetime | None = None) -> Referral:
    errors = referral_submission_errors(referral)
    if errors:
        raise ValidationError(errors)
    referral_change(referral=referral, action=Action.SUBMIT, by=by, at=at, stamp="submitted_at")
    return _done(referral)


def referral_take(*, referral: Referral, by: User, at: datetime | None = None) -> Referral:
    referral_change(referral=referral, action=Action.TAKE, by=by, at=at)
    return _done(referral)


def referral_propose(
    *, referral: Referral, by: User, unit: Unit, reason: str = "", note: str = "", at: datetime | None = None
) -> Referral:
    """Propose a receiving unit: one the matching service ranks, or any other unit with a written reason."""
    from referrals.proposals import ranking_for

    if unit.hospital.region_id == referral.sending_unit.hospital.region_id:
        raise ValidationError({"unit": _("Choose a unit in another region than the sending region.")})
    if not unit.hospital.region.takes_part_on(timezone.localdate()):
        raise ValidationError({"unit": ERROR_UNIT_NOT_TAKING_PART})
    if not reason.strip():
        outside = proposal_outside_ranking(ranking_for(referral, unit_id=unit.pk), unit)
        if outside is not None:
            raise ValidationError({"reason": outside})
    text = "\n".join(part for part in (reason.strip(), note.strip()) if part)
    referral_change(
        referral=referral, action=Action.PROPOSE, by=by, at=at, note=text, values={"receiving_unit_id": unit.pk}
    )
    return _done(referral)


def proposal_outside_ranking(ranking: MatchResult, unit: Unit) -> str | None:
    """Why proposing `unit` needs a written reason, or None if the matching ranks it. One click is for a
    ranked unit; a unit that declined the request before is never ranked, nor one without matching free
    capacity. The confirm page says this, the service refuses a proposal without a reason with it."""
    declined = next((d for d in ranking.declined if d.unit_id == unit.pk), None)
    if declined is not None:
        return str(ERROR_PROPOSAL_DECLINED_BEFORE % {"date": declined.on})
    if unit.pk not in {p.unit_id for p in ranking.proposals}:
        return str(ERROR_PROPOSAL_NEEDS_REASON)
    return None


def _release_slot(offer_id: int | None) -> None:
    """Give one reserved slot back to its offer."""
    if offer_id:
        CapacityOffer.objects.filter(pk=offer_id, reserved_slots__gt=0).update(reserved_slots=F("reserved_slots") - 1)


def _check_texts_leaving_care(*, reason: str, note: str, obstacle_category: str, obstacle_text: str) -> None:
    """Decline and close reasons reach the other region and the report; an obstacle's text is written
    on purpose (never taken from the note) and goes to the health directors. None may name a patient."""
    errors: dict[str, str] = {}
    if contains_personal_number(note):
        errors["note"] = str(ERROR_PERSONAL_NUMBER_IN_TEXT)
    elif reason == OTHER_REASON and not note.strip():  # "Annat skäl" says nothing without the note
        errors["note"] = str(ERROR_OTHER_REASON_NOTE)
    if obstacle_category and obstacle_category not in ObstacleCategory.values:
        errors["obstacle_category"] = _("Choose a category from the list.")
    if obstacle_category and not obstacle_text.strip():
        errors["obstacle_text"] = _("Describe the obstacle.")
    elif contains_personal_number(obstacle_text):
        errors["obstacle_text"] = str(ERROR_PERSONAL_NUMBER_IN_TEXT)
    if errors:
        raise ValidationError(errors)


def _raising_obstacle(*, by: User, category: str, text: str, source: str, of_receiving_unit: bool) -> Any:
    """An `apply` that records the obstacle for the region that met it, as a follow-up event of the step."""

    def apply(locked: Referral, when: datetime) -> Outcome | None:
        if not category:
            return None
        unit = locked.receiving_unit if of_receiving_unit else locked.sending_unit
        if unit is None:
            return None
        obstacle = obstacle_create(
            by=by, category=category, text=text, region=unit.hospital.region, referral=locked, source=source, at=when
        )
        return Outcome(follow_ups=[FollowUp(EventKind.OBSTACLE, reason=obstacle.category, note=obstacle.text)])

    return apply


def referral_decline(
    *,
    referral: Referral,
    by: User,
    reason: str,
    note: str = "",
    obstacle_category: str = "",
    obstacle_text: str = "",
    at: datetime | None = None,
) -> Referral:
    """Decline: the request goes back to review and the proposal ends. Optionally raise an obstacle."""
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    _check_texts_leaving_care(
        reason=reason, note=note, obstacle_category=obstacle_category, obstacle_text=obstacle_text
    )
    referral_change(
        referral=referral,
        action=Action.DECLINE,
        by=by,
        at=at,
        reason=reason,
        note=note,
        values={"receiving_unit_id": None},
        # The declining unit is the one the request was proposed to as locked.
        apply=_raising_obstacle(
            by=by, category=obstacle_category, text=obstacle_text, source=ObstacleSource.DECLINE, of_receiving_unit=True
        ),
    )
    return _done(referral)


def care_given_date_errors(care_given_date: date, *, today: date) -> list[str]:
    """Why a date of care given cannot be recorded: it has not come yet."""
    return [str(ERROR_CARE_GIVEN_IN_FUTURE)] if care_given_date > today else []


def care_given_date_warnings(referral: Referral, care_given_date: date) -> list[str]:
    """What a date of care given contradicts: the accepted planned date, when it is earlier. Possible
    (the unit found an earlier time), but only once the person recording it has confirmed it."""
    planned = referral.planned_date
    if planned and care_given_date < planned:
        return [str(WARNING_BEFORE_PLANNED_DATE % {"date": planned.isoformat()})]
    return []


def referral_complete(
    *,
    referral: Referral,
    by: User,
    care_given_date: date,
    confirm_early: bool | None = None,
    at: datetime | None = None,
) -> Referral:
    """Mark care as given. A date in the future is refused; one before the planned date needs
    `confirm_early=True` from a caller that asks the person (the page, the API); None asks nobody."""
    errors = care_given_date_errors(care_given_date, today=timezone.localdate())
    if errors:
        raise ValidationError({"care_given_date": errors})
    if confirm_early is False:
        warnings = care_given_date_warnings(referral, care_given_date)
        if warnings:
            raise ValidationError({"confirm_early": " ".join([*warnings, str(ERROR_CONFIRM_EARLY)])})
    referral_change(
        referral=referral,
        action=Action.COMPLETE,
        by=by,
        at=at,
        stamp="closed_at",
        values={"care_given_date": care_given_date},
    )
    return _done(referral)


def referral_withdraw(
    *, referral: Referral, by: User, reason: str, note: str = "", at: datetime | None = None
) -> Referral:
    """Withdraw an open request; an accepted one gives its reserved slot back."""
    if reason not in WithdrawReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    # The slot is the one the request holds as locked, not as read before: a withdrawal that waited
    # for an acceptance gives back the slot that acceptance reserved.
    referral_change(
        referral=referral,
        action=Action.WITHDRAW,
        by=by,
        at=at,
        reason=reason,
        note=note,
        stamp="closed_at",
        values={"receiving_unit_id": None, "planned_date": None, "reserved_offer_id": None},
        apply=lambda locked, when: _release_slot(locked.reserved_offer_id),
    )
    return _done(referral)


def referral_close(
    *,
    referral: Referral,
    by: User,
    reason: str,
    note: str = "",
    obstacle_category: str = "",
    obstacle_text: str = "",
    at: datetime | None = None,
) -> Referral:
    """Close without coordination, with a reason; optionally raise an obstacle to cooperation."""
    if reason not in CloseReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    _check_texts_leaving_care(
        reason=reason, note=note, obstacle_category=obstacle_category, obstacle_text=obstacle_text
    )
    referral_change(
        referral=referral,
        action=Action.CLOSE,
        by=by,
        at=at,
        reason=reason,
        note=note,
        stamp="closed_at",
        apply=_raising_obstacle(
            by=by, category=obstacle_category, text=obstacle_text, source=ObstacleSource.CLOSE, of_receiving_unit=False
        ),
    )
    return _done(referral)
