"""Intake: the sending unit files a request, keeps its draft and its record of the patient, and
records paused waiting. Every change after creation goes through `history.referral_change`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.selectors import user_scopes
from audit.models import AccessAction
from audit.services import access_record
from catalog.selectors import diagnosis_group_for_code
from organisations.models import Region, Unit
from referrals import clock
from referrals.lifecycle import Action
from referrals.models import EventKind, Patient, ReferenceSequence, Referral, WaitPause
from referrals.services.history import Outcome, event_append, now, referral_change
from sot.personal_numbers import normalize_personal_number

DRAFT_FIELDS = (
    "icd10_code",
    "procedure_code",
    "procedure_text",
    "priority",
    "asa_class",
    "asa_emergency",
    "complicating_diseases",
    "decision_date",
    "medical_target_date",
    "consent_referral",
    "consent_disclosure",
    "needs_interpreter",
    "interpreter_language",
    "needs_transport",
    "needs_escort",
    "max_travel_km",
    "contact_name",
    "contact_phone",
)
PATIENT_DETAIL_FIELDS = ("patient_name", "patient_phone", "patient_home_region")
MAX_PAUSE_DAYS = 365
# Messages that tests check (by constant, not by their translated text).
ERROR_PAUSE_BEFORE_DECISION = gettext_lazy("A pause cannot start before the decision date.")

# A region that does not take part in SOT (the administrator's setting) neither sends nor receives: its staff
# may prepare a draft, which goes to SOT once the region takes part.
ERROR_REGION_NOT_TAKING_PART = gettext_lazy(
    "Your region does not take part in SOT yet: the request can be submitted once it does."
)
MISSING_FOR_SUBMISSION = {
    "icd10_code": gettext_lazy("Give the diagnosis as an ICD-10 code."),
    "diagnosis_group": gettext_lazy("The diagnosis code does not belong to any diagnosis group."),
    "priority": gettext_lazy("Choose a medical priority."),
    "asa_class": gettext_lazy("Choose an ASA class."),
    "decision_date": gettext_lazy("Give the date of the decision to treat."),
    "medical_target_date": gettext_lazy("Give the medical target date."),
    "consent_referral": gettext_lazy("The patient's consent to referral to another region must be recorded."),
    "consent_disclosure": gettext_lazy(
        "The patient's consent to disclosure of data to another region must be recorded."
    ),
}


def _next_reference(year: int) -> str:
    sequence, _created = ReferenceSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"SOT-{year}-{sequence.last_number:06d}"


def patient_identify(*, personal_number: str) -> Patient:
    """The person behind a personnummer or samordningsnummer. Changes nothing anyone recorded."""
    patient, _created = Patient.objects.get_or_create(personal_number=normalize_personal_number(personal_number))
    return patient


def _apply_derived_fields(referral: Referral) -> None:
    """Fields that follow from others: diagnosis group from the ICD-10 code, the dates from the clock."""
    referral.diagnosis_group = diagnosis_group_for_code(referral.icd10_code) if referral.icd10_code else None
    _apply_deadline(referral)
    if referral.decision_date and referral.medical_target_date is None and referral.priority is not None:
        max_wait = referral.priority.max_wait_days
        referral.medical_target_date = clock.default_target_date(referral.decision_date, max_wait)


def _apply_deadline(referral: Referral) -> None:
    """The care-guarantee deadline from the decision date, the region's limit and the recorded pauses."""
    if referral.decision_date:
        periods = [clock.Period(p.start_date, p.end_date) for p in referral.pauses.all()] if referral.pk else []
        referral.care_guarantee_deadline = clock.care_guarantee_deadline(
            referral.decision_date,
            referral.sending_unit.hospital.region.effective_care_guarantee_days,
            periods,
        )
    else:
        referral.care_guarantee_deadline = None


@transaction.atomic
def referral_create(
    *, by: User, sending_unit: Unit, patient: Patient, at: datetime | None = None, **fields: Any
) -> Referral:
    """Open a draft for a patient of the user's own unit."""
    if sending_unit.pk not in user_scopes(by).unit_staff_units:
        raise PermissionDenied
    when = now(at)
    referral = Referral(
        patient=patient,
        sending_unit=sending_unit,
        created_by=by,
        created_at=when,
        status_changed_at=when,
        reference=_next_reference(timezone.localtime(when).year),
        **fields,
    )
    _apply_derived_fields(referral)
    referral.full_clean(exclude=["reference", "created_by"])
    referral.save()
    event_append(referral=referral, kind=EventKind.CREATED, by=by, at=when, from_status="", to_status=referral.status)
    access_record(user=by, referral=referral, action=AccessAction.CREATE, what="referrals:create")
    return referral


def referral_update_draft(*, referral: Referral, by: User, patient: Patient, **fields: Any) -> Referral:
    """Change a draft. After submission the request belongs to the SOT process and is not edited here."""
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"Not draft fields: {sorted(unknown)}")

    def apply(locked: Referral, when: datetime) -> None:
        locked.patient = patient
        for name, value in fields.items():
            setattr(locked, name, value)
        _apply_derived_fields(locked)
        locked.full_clean(exclude=["reference", "created_by"])
        locked.save()

    referral_change(referral=referral, action=Action.EDIT_DRAFT, by=by, apply=apply)
    referral.refresh_from_db()
    return referral


def _concrete_field(name: str) -> models.Field:
    """A field stored on the request itself (not a reverse relation)."""
    return cast(models.Field, Referral._meta.get_field(name))


def referral_change_patient_details(
    *, referral: Referral, by: User, patient_name: str, patient_phone: str, patient_home_region: Region
) -> Referral:
    """Change the sending care provider's record of the patient on one of its requests.

    The event names the fields that changed, never their values. A filing elsewhere never gets here.
    """
    values = {
        "patient_name": patient_name.strip(),
        "patient_phone": patient_phone.strip(),
        "patient_home_region": patient_home_region,
    }
    if not values["patient_name"]:
        raise ValidationError({"patient_name": _("Give the patient's name.")})

    def apply(locked: Referral, when: datetime) -> Outcome:
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        if not changed:
            return Outcome(unchanged=True)
        for name in changed:
            setattr(locked, name, values[name])
        locked.save(update_fields=[*changed, "updated_at"])
        labels = ", ".join(str(_concrete_field(name).verbose_name) for name in changed)
        return Outcome(note=_("Changed: %(fields)s") % {"fields": labels})

    referral_change(referral=referral, action=Action.CHANGE_PATIENT, by=by, apply=apply)
    referral.refresh_from_db()
    return referral


def referral_save(
    *,
    by: User,
    referral: Referral | None = None,
    sending_unit: Unit,
    personal_number: str,
    patient_name: str,
    home_region: Region,
    patient_phone: str = "",
    submit: bool = False,
    **fields: Any,
) -> Referral:
    """Save a new or existing draft from the intake form, and submit it if asked, all or nothing.

    If submission fails, nothing of this call is kept: the form shows the errors with every
    entered value, and an existing draft stays as it was saved before.
    """
    from referrals.services.workflow import referral_submit  # workflow imports intake: imported here

    details: dict[str, Any] = {
        "patient_name": patient_name,
        "patient_phone": patient_phone,
        "patient_home_region": home_region,
    }
    with transaction.atomic():
        patient = patient_identify(personal_number=personal_number)
        if referral is None:
            referral = referral_create(by=by, sending_unit=sending_unit, patient=patient, **details, **fields)
        else:
            if referral.sending_unit_id != sending_unit.pk:
                raise ValidationError({"sending_unit": _("A draft cannot move to another unit.")})
            referral = referral_update_draft(referral=referral, by=by, patient=patient, **fields)
            referral = referral_change_patient_details(referral=referral, by=by, **details)
        if submit:
            referral = referral_submit(referral=referral, by=by)
    return referral


def wait_pause_add(
    *, referral: Referral, by: User, kind: str, start_date: date, end_date: date, note: str = ""
) -> WaitPause:
    """Record a period of patient-chosen or medically caused waiting; the deadline moves by its days."""
    pauses: list[WaitPause] = []

    def apply(locked: Referral, when: datetime) -> Outcome:
        if locked.decision_date and start_date < locked.decision_date:
            raise ValidationError({"start_date": ERROR_PAUSE_BEFORE_DECISION})
        if (end_date - start_date).days > MAX_PAUSE_DAYS:
            raise ValidationError({"end_date": _("A pause can be at most a year; record a new one after that.")})
        pause = WaitPause(referral=locked, kind=kind, start_date=start_date, end_date=end_date, note=note)
        pause.full_clean()
        pause.save()
        pauses.append(pause)
        # Only the deadline moves: the diagnosis group may have been corrected by SOT since submission.
        _apply_deadline(locked)
        locked.save(update_fields=["care_guarantee_deadline", "updated_at"])
        return Outcome(note=f"{pause.get_kind_display()} {start_date:%Y-%m-%d}–{end_date:%Y-%m-%d}")

    referral_change(referral=referral, action=Action.ADD_PAUSE, by=by, apply=apply)
    return pauses[0]


def referral_submission_errors(referral: Referral) -> dict[str, str]:
    """What a draft still lacks before it can be submitted, field by field."""
    errors = {name: str(message) for name, message in MISSING_FOR_SUBMISSION.items() if not getattr(referral, name)}
    if not referral.sending_unit.hospital.region.takes_part_on(timezone.localdate()):
        errors["sending_unit"] = str(ERROR_REGION_NOT_TAKING_PART)
    return errors
