"""Accepting a request: the planned date's rules and warnings, the care form, the capacity slot claimed in the
acceptance's transaction, and acceptance recorded from a phone call (`workflow` re-exports these)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from capacity.models import CapacityOffer, CareType
from referrals.lifecycle import Action
from referrals.models import (
    Referral,
)
from referrals.services.history import TransitionNotAllowed, referral_change
from referrals.signals import referral_accepted
from sot.personal_numbers import ERROR_PERSONAL_NUMBER_IN_TEXT, contains_personal_number

ERROR_PLANNED_DATE_OUTSIDE_WEEK = gettext_lazy(
    "The planned date is not in the week of the chosen capacity. Choose the week the date is in, or "
    "“Outside published capacity”."
)
ERROR_PLANNED_DATE_IN_PAST = gettext_lazy("The planned date cannot be in the past.")
ERROR_PLANNED_DATE_BEFORE_SUBMISSION = gettext_lazy(
    "The planned date cannot be before the request was submitted (%(date)s)."
)
WARNING_AFTER_TARGET_DATE = gettext_lazy("The date is after the medical target date (%(date)s).")
WARNING_AFTER_DEADLINE = gettext_lazy("The date is after the care-guarantee deadline (%(date)s).")
ERROR_CONFIRM_LATE = gettext_lazy("Confirm the date to accept anyway.")
ERROR_CARE_FORM_UNKNOWN = gettext_lazy("Choose day surgery or inpatient care.")
ERROR_CARE_FORM_MISSING = gettext_lazy("Choose the care form: day surgery or inpatient care.")
ERROR_CARE_FORM_NOT_OFFER = gettext_lazy("The chosen capacity is for %(care_form)s: choose the same care form.")
ERROR_PHONE_GIVER_MISSING = gettext_lazy("Give the name of the person at the receiving unit who accepted.")


class NoFreeSlot(TransitionNotAllowed):
    """The chosen capacity offer has no free slot left (another acceptance took the last one)."""


def _done(referral: Referral) -> Referral:
    referral.refresh_from_db()
    return referral


def planned_date_errors(referral: Referral, planned_date: date, *, today: date) -> list[str]:
    """Why a planned date cannot be accepted: care cannot be planned for a day that has passed, nor for
    one before the request existed."""
    if planned_date < today:
        return [str(ERROR_PLANNED_DATE_IN_PAST)]
    if referral.submitted_at and planned_date < timezone.localdate(referral.submitted_at):
        return [str(ERROR_PLANNED_DATE_BEFORE_SUBMISSION % {"date": timezone.localdate(referral.submitted_at)})]
    return []


def planned_date_warnings(referral: Referral, planned_date: date) -> list[str]:
    """What a planned date misses (the medical target date, the care-guarantee deadline): possible, but
    only once the person accepting has confirmed it."""
    warnings = []
    if referral.medical_target_date and planned_date > referral.medical_target_date:
        warnings.append(str(WARNING_AFTER_TARGET_DATE % {"date": referral.medical_target_date}))
    if referral.care_guarantee_deadline and planned_date > referral.care_guarantee_deadline:
        warnings.append(str(WARNING_AFTER_DEADLINE % {"date": referral.care_guarantee_deadline}))
    return warnings


def _check_planned_date(
    referral: Referral,
    planned_date: date,
    offer: CapacityOffer | None,
    *,
    at: datetime | None,
    confirm_late: bool | None,
) -> None:
    if offer is not None and not offer.week_start <= planned_date <= offer.week_start + timedelta(days=6):
        raise ValidationError({"planned_date": ERROR_PLANNED_DATE_OUTSIDE_WEEK})
    errors = planned_date_errors(referral, planned_date, today=timezone.localdate(at) if at else timezone.localdate())
    if errors:
        raise ValidationError({"planned_date": errors})
    if confirm_late is False:
        warnings = planned_date_warnings(referral, planned_date)
        if warnings:
            raise ValidationError({"confirm_late": " ".join([*warnings, str(ERROR_CONFIRM_LATE)])})


def referral_accept(
    *,
    referral: Referral,
    by: User,
    planned_date: date,
    offer: CapacityOffer | None = None,
    note: str = "",
    confirm_late: bool | None = None,
    given_by_phone: str = "",
    care_form: str = "",
    at: datetime | None = None,
) -> Referral:
    """Accept with a planned date, reserving one slot of the chosen offer in the same transaction.

    A planned date that has passed, or lies before the submission, is refused. One after the medical
    target date or the care-guarantee deadline needs `confirm_late=True` from a caller that asks the
    person (the page, the API pass what was ticked); None asks nobody (history recorded as it happened).

    With `given_by_phone` (the name of who accepted on the phone), the SOT representative `by` records
    the receiving unit's acceptance for it: the same step, the same reservation, attributed to both.

    `care_form` (day surgery or inpatient; the chosen offer's when not given) fixes the cost price in
    force on the acceptance date, in the same transaction (settlement app); no price never blocks it.

    The slot is claimed by a conditional UPDATE (`reserved_slots < slots`): of two acceptances racing
    for the last slot, PostgreSQL lets exactly one update the row; the other finds no row to update
    and gets NoFreeSlot, and its whole transaction (the status change included) is rolled back.
    """
    _check_planned_date(referral, planned_date, offer, at=at, confirm_late=confirm_late)
    by_phone = bool(given_by_phone.strip())
    care_form = resolved_care_form(care_form, offer)

    def claim(locked: Referral, when: datetime) -> None:
        if offer is not None:
            _claim_slot(offer, locked)
        referral_accepted.send(sender=Referral, referral=locked, care_form=care_form, at=when)

    referral_change(
        referral=referral,
        action=Action.ACCEPT_BY_PHONE if by_phone else Action.ACCEPT,
        by=by,
        at=at,
        note=note,
        stamp="accepted_at",
        values={"planned_date": planned_date, "reserved_offer_id": offer.pk if offer else None},
        apply=claim,
        given_by_phone=given_by_phone.strip(),
    )
    return _done(referral)


def care_form_errors(care_form: str, offer: CapacityOffer | None, *, asked: bool = False) -> list[str]:
    """A care form that is not one, or differs from the chosen capacity's, is refused. Where a person
    is `asked` (the page, the API), one is required unless a capacity offer (which has one) is chosen."""
    if asked and not care_form and offer is None:
        return [str(ERROR_CARE_FORM_MISSING)]
    if care_form and care_form not in CareType.values:
        return [str(ERROR_CARE_FORM_UNKNOWN)]
    if care_form and offer is not None and care_form != offer.care_type:
        return [str(ERROR_CARE_FORM_NOT_OFFER) % {"care_form": offer.get_care_type_display().lower()}]
    return []


def resolved_care_form(care_form: str, offer: CapacityOffer | None) -> str:
    """The care form to price the acceptance with (the offer's when none was given)."""
    errors = care_form_errors(care_form, offer)
    if errors:
        raise ValidationError({"care_form": errors})
    return care_form or (offer.care_type if offer is not None else "")


def referral_accept_by_phone(
    *,
    referral: Referral,
    by: User,
    given_by: str,
    planned_date: date,
    offer: CapacityOffer | None = None,
    note: str = "",
    confirm_late: bool | None = None,
    care_form: str = "",
    at: datetime | None = None,
) -> Referral:
    """The SOT representative records the acceptance the receiving unit gave on the phone."""
    if not given_by.strip():
        raise ValidationError({"given_by": ERROR_PHONE_GIVER_MISSING})
    if contains_personal_number(given_by):
        raise ValidationError({"given_by": ERROR_PERSONAL_NUMBER_IN_TEXT})
    return referral_accept(
        referral=referral,
        by=by,
        planned_date=planned_date,
        offer=offer,
        note=note,
        confirm_late=confirm_late,
        given_by_phone=given_by,
        care_form=care_form,
        at=at,
    )


def _claim_slot(offer: CapacityOffer, locked: Referral) -> None:
    """Reserve one slot of the offer for the request as locked (its unit and diagnosis group as they are now)."""
    if offer.unit_id != locked.receiving_unit_id or offer.diagnosis_group_id != locked.diagnosis_group_id:
        raise ValidationError({"offer": _("Choose capacity of your own unit for this diagnosis group.")})
    claimed = (
        CapacityOffer.objects.active()
        .filter(pk=offer.pk, reserved_slots__lt=F("slots"))
        .update(reserved_slots=F("reserved_slots") + 1)
    )
    if claimed != 1:
        raise NoFreeSlot(
            _("The last free slot of week %(week)s was just taken by another patient. Choose another week.")
            % {"week": offer.week_label}
        )
