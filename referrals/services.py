"""Writes to coordination requests. Every status change goes through `_transition`.

Services are keyword-only and take the acting user; they check the lifecycle table, claim the
row (`select_for_update` plus a conditional update on the old status, so two clicks or two
workers can never both move the same request), and append an event in the same transaction.
`at` exists so that imports and the demo seed can record history with its real timestamps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from accounts.selectors import user_scopes
from audit.models import AccessAction
from audit.services import access_record
from capacity.models import CapacityOffer
from catalog.models import DiagnosisGroup
from catalog.selectors import diagnosis_group_for_code
from organisations.models import Region, Unit
from referrals import clock
from referrals.lifecycle import TRANSITIONS, Action, is_allowed
from referrals.models import (
    CloseReason,
    ContactRecord,
    DeclineReason,
    EventKind,
    Obstacle,
    ObstacleCategory,
    ObstacleSource,
    Patient,
    ReferenceSequence,
    Referral,
    ReferralEvent,
    ReferralStatus,
    WaitPause,
    WithdrawReason,
)
from referrals.notifications import queue_notification
from referrals.selectors import referral_roles
from sot.personal_numbers import (
    ERROR_PERSONAL_NUMBER_IN_TEXT,
    contains_personal_number,
    normalize_personal_number,
)


class TransitionNotAllowed(Exception):
    """The request is not in a state where this action is possible (someone else got there first)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _next_reference(year: int) -> str:
    sequence, _created = ReferenceSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"SOT-{year}-{sequence.last_number:06d}"


def patient_identify(*, personal_number: str) -> Patient:
    """The person behind a personnummer or samordningsnummer. Changes nothing anyone recorded."""
    patient, _created = Patient.objects.get_or_create(personal_number=normalize_personal_number(personal_number))
    return patient


PATIENT_DETAIL_FIELDS = ("patient_name", "patient_phone", "patient_home_region")


@transaction.atomic
def referral_change_patient_details(
    *, referral: Referral, by, patient_name: str, patient_phone: str, patient_home_region: Region
) -> Referral:
    """Change the sending care provider's record of the patient on one of its requests.

    The only code that changes a request's patient details after it was created: it writes an event
    (naming the fields, never their values) and an access-log entry. A filing elsewhere never gets here.
    """
    locked = (
        Referral.objects.select_for_update(of=("self",)).select_related("sending_unit__hospital").get(pk=referral.pk)
    )
    if Role.UNIT_STAFF not in referral_roles(by, locked):
        raise PermissionDenied
    if not locked.is_open:
        raise TransitionNotAllowed(_("The request is closed; its patient details can no longer change."))
    values = {
        "patient_name": patient_name.strip(),
        "patient_phone": patient_phone.strip(),
        "patient_home_region": patient_home_region,
    }
    if not values["patient_name"]:
        raise ValidationError({"patient_name": _("Give the patient's name.")})
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, values[name])
    locked.save(update_fields=[*changed, "updated_at"])
    labels = ", ".join(str(Referral._meta.get_field(name).verbose_name) for name in changed)
    ReferralEvent.objects.create(
        referral=locked,
        kind=EventKind.PATIENT_DETAILS,
        from_status=locked.status,
        to_status=locked.status,
        actor=by,
        note=_("Changed: %(fields)s") % {"fields": labels},
    )
    access_record(user=by, referral=locked, action=AccessAction.CHANGE, what="referrals:patient_details")
    return locked


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
def referral_create(*, by, sending_unit: Unit, patient: Patient, at: datetime | None = None, **fields: Any) -> Referral:
    """Open a draft for a patient of the user's own unit."""
    if sending_unit.pk not in user_scopes(by).unit_staff_units:
        raise PermissionDenied
    when = _now(at)
    referral = Referral(
        patient=patient,
        sending_unit=sending_unit,
        created_by=by,
        created_at=when,
        reference=_next_reference(timezone.localtime(when).year),
        **fields,
    )
    _apply_derived_fields(referral)
    referral.full_clean(exclude=["reference", "created_by"])
    referral.save()
    ReferralEvent.objects.create(
        referral=referral, kind=EventKind.CREATED, to_status=referral.status, actor=by, at=when
    )
    access_record(user=by, referral=referral, action=AccessAction.CREATE, what="referrals:create")
    return referral


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
    "contact_name",
    "contact_phone",
)


@transaction.atomic
def referral_update_draft(*, referral: Referral, by, patient: Patient, **fields: Any) -> Referral:
    """Change a draft. After submission the request belongs to the SOT process and is not edited here."""
    locked = Referral.objects.select_for_update().select_related("sending_unit__hospital__region").get(pk=referral.pk)
    if Role.UNIT_STAFF not in referral_roles(by, locked):
        raise PermissionDenied
    if locked.status != ReferralStatus.DRAFT:
        raise TransitionNotAllowed(_("Only a draft can be edited."))
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"Not draft fields: {sorted(unknown)}")
    locked.patient = patient
    for name, value in fields.items():
        setattr(locked, name, value)
    _apply_derived_fields(locked)
    locked.full_clean(exclude=["reference", "created_by"])
    locked.save()
    ReferralEvent.objects.create(referral=locked, kind=EventKind.UPDATED, to_status=locked.status, actor=by)
    access_record(user=by, referral=locked, action=AccessAction.CHANGE, what="referrals:edit")
    return locked


def referral_save(
    *,
    by,
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
    details = {"patient_name": patient_name, "patient_phone": patient_phone, "patient_home_region": home_region}
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


@transaction.atomic
def wait_pause_add(*, referral: Referral, by, kind: str, start_date: date, end_date: date, note: str = "") -> WaitPause:
    """Record a period of patient-chosen or medically caused waiting; the deadline moves by its days."""
    locked = Referral.objects.select_for_update().select_related("sending_unit__hospital__region").get(pk=referral.pk)
    if Role.UNIT_STAFF not in referral_roles(by, locked):
        raise PermissionDenied
    if not locked.is_open:
        raise TransitionNotAllowed(_("The request is closed; its waiting time can no longer change."))
    if locked.decision_date and start_date < locked.decision_date:
        raise ValidationError({"start_date": _("A pause cannot start before the decision date.")})
    if (end_date - start_date).days > MAX_PAUSE_DAYS:
        raise ValidationError({"end_date": _("A pause can be at most a year; record a new one after that.")})
    pause = WaitPause(referral=locked, kind=kind, start_date=start_date, end_date=end_date, note=note)
    pause.full_clean()
    pause.save()
    # Only the deadline moves: the diagnosis group may have been corrected by SOT since submission.
    _apply_deadline(locked)
    locked.save(update_fields=["care_guarantee_deadline", "updated_at"])
    ReferralEvent.objects.create(
        referral=locked,
        kind=EventKind.PAUSED,
        from_status=locked.status,
        to_status=locked.status,
        actor=by,
        note=f"{pause.get_kind_display()} {start_date:%Y-%m-%d}–{end_date:%Y-%m-%d}",
    )
    access_record(user=by, referral=locked, action=AccessAction.CHANGE, what="referrals:pause_add")
    return pause


MAX_PAUSE_DAYS = 365

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


def referral_submission_errors(referral: Referral) -> dict[str, str]:
    """What a draft still lacks before it can be submitted, field by field."""
    return {name: str(message) for name, message in MISSING_FOR_SUBMISSION.items() if not getattr(referral, name)}


def _transition(
    *,
    referral: Referral,
    action: str,
    by,
    at: datetime | None = None,
    reason: str = "",
    note: str = "",
    changes: dict[str, Any] | None = None,
    stamp: str = "",
    then: Callable[[Referral], object] | None = None,
) -> Referral:
    """Apply one step of the lifecycle table to the locked row, with its event, in one transaction.

    Everything is judged on the row as locked, never on the caller's copy: the time (also written to the
    field named by `stamp`, e.g. "accepted_at") is taken once the lock is held, so a step that waited for
    another is dated after it. `then`, if given, runs in the same transaction after the change with the row
    as it was locked before it (e.g. the slot it held), so what it does commits or rolls back with the step.
    """
    transition = TRANSITIONS[action]
    with transaction.atomic():
        locked = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("sending_unit__hospital")
            .get(pk=referral.pk)
        )
        when = _now(at)
        roles = referral_roles(by, locked)
        if not transition.roles & roles:
            if transition.roles & referral_roles(by, referral):  # the role went with a step taken meanwhile
                raise TransitionNotAllowed(_("Someone else changed the request at the same time. Reload the page."))
            raise PermissionDenied
        if not is_allowed(action, status=locked.status, roles=roles):
            raise TransitionNotAllowed(
                _("The request is %(status)s; this step is not possible now.")
                % {"status": locked.get_status_display().lower()}
            )
        values = dict(changes or {})
        values["status"] = transition.target
        if stamp:
            values[stamp] = when
        updated = Referral.objects.filter(pk=locked.pk, status=locked.status).update(**values, updated_at=when)
        if updated != 1:  # the row lock makes this rare; the conditional update makes it safe anyway
            raise TransitionNotAllowed(_("Someone else changed the request at the same time. Reload the page."))
        event = ReferralEvent.objects.create(
            referral=locked,
            kind=transition.event,
            from_status=locked.status,
            to_status=transition.target,
            actor=by,
            at=when,
            reason=reason,
            note=note,
            receiving_unit_id=values.get("receiving_unit_id", locked.receiving_unit_id),
        )
        if then is not None:
            then(locked)
        access_record(user=by, referral=locked, action=AccessAction.CHANGE, what=f"referrals:{action}")
        if at is None:  # events recorded with their historical time (imports, the demo) notify nobody
            queue_notification(event)
    referral.refresh_from_db()
    return referral


def referral_submit(*, referral: Referral, by, at: datetime | None = None) -> Referral:
    errors = referral_submission_errors(referral)
    if errors:
        raise ValidationError(errors)
    return _transition(referral=referral, action=Action.SUBMIT, by=by, at=at, stamp="submitted_at")


def referral_take(*, referral: Referral, by, at: datetime | None = None) -> Referral:
    return _transition(referral=referral, action=Action.TAKE, by=by, at=at)


def referral_propose(
    *, referral: Referral, by, unit: Unit, reason: str = "", note: str = "", at: datetime | None = None
) -> Referral:
    """Propose a receiving unit: one the matching service ranks, or any other unit with a written reason."""
    from capacity.matching import rank_receiving_units

    if unit.hospital.region_id == referral.sending_unit.hospital.region_id:
        raise ValidationError({"unit": _("Choose a unit in another region than the sending region.")})
    if not reason.strip():
        ranked = {p.unit_id for p in rank_receiving_units(referral).proposals}
        if unit.pk not in ranked:
            raise ValidationError(
                {"reason": _("The unit has no matching free capacity: say why you propose it anyway.")}
            )
    text = "\n".join(part for part in (reason.strip(), note.strip()) if part)
    return _transition(
        referral=referral, action=Action.PROPOSE, by=by, at=at, note=text, changes={"receiving_unit_id": unit.pk}
    )


class NoFreeSlot(TransitionNotAllowed):
    """The chosen capacity offer has no free slot left (another acceptance took the last one)."""


def referral_accept(
    *,
    referral: Referral,
    by,
    planned_date: date,
    offer: CapacityOffer | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Referral:
    """Accept with a planned date, reserving one slot of the chosen offer in the same transaction.

    The slot is claimed by a conditional UPDATE (`reserved_slots < slots`): of two acceptances racing
    for the last slot, PostgreSQL lets exactly one update the row; the other finds no row to update
    and gets NoFreeSlot, and its whole transaction (the status change included) is rolled back.
    """
    if offer is not None and not offer.week_start <= planned_date <= offer.week_start + timedelta(days=6):
        raise ValidationError({"planned_date": _("The planned date must fall in the week of the chosen capacity.")})
    return _transition(
        referral=referral,
        action=Action.ACCEPT,
        by=by,
        at=at,
        note=note,
        stamp="accepted_at",
        changes={"planned_date": planned_date, "reserved_offer_id": offer.pk if offer else None},
        then=(lambda locked: _claim_slot(offer, locked)) if offer is not None else None,
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


def _release_slot(offer_id: int | None) -> None:
    """Give one reserved slot back to its offer."""
    if offer_id:
        CapacityOffer.objects.filter(pk=offer_id, reserved_slots__gt=0).update(reserved_slots=F("reserved_slots") - 1)


def _check_texts_leaving_care(*, note: str, obstacle_category: str, obstacle_text: str) -> None:
    """Decline and close reasons reach the other region and the report; an obstacle's text is written
    on purpose (never taken from the note) and goes to the health directors. None may name a patient."""
    errors: dict[str, str] = {}
    if contains_personal_number(note):
        errors["note"] = str(ERROR_PERSONAL_NUMBER_IN_TEXT)
    if obstacle_category and obstacle_category not in ObstacleCategory.values:
        errors["obstacle_category"] = _("Choose a category from the list.")
    if obstacle_category and not obstacle_text.strip():
        errors["obstacle_text"] = _("Describe the obstacle.")
    elif contains_personal_number(obstacle_text):
        errors["obstacle_text"] = str(ERROR_PERSONAL_NUMBER_IN_TEXT)
    if errors:
        raise ValidationError(errors)


def referral_decline(
    *,
    referral: Referral,
    by,
    reason: str,
    note: str = "",
    obstacle_category: str = "",
    obstacle_text: str = "",
    at: datetime | None = None,
) -> Referral:
    """Decline: the request goes back to review and the proposal ends. Optionally raise an obstacle."""
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    _check_texts_leaving_care(note=note, obstacle_category=obstacle_category, obstacle_text=obstacle_text)
    with transaction.atomic():
        locked: list[Referral] = []  # the row as _transition locked it: its unit is the one that declines
        referral = _transition(
            referral=referral,
            action=Action.DECLINE,
            by=by,
            at=at,
            reason=reason,
            note=note,
            changes={"receiving_unit_id": None},
            then=locked.append,
        )
        receiving_unit = locked[0].receiving_unit
        if obstacle_category and receiving_unit is not None:
            obstacle_record(
                by=by,
                category=obstacle_category,
                text=obstacle_text,
                region=receiving_unit.hospital.region,
                referral=referral,
                source=ObstacleSource.DECLINE,
                at=at,
            )
    return referral


def referral_complete(*, referral: Referral, by, care_given_date: date, at: datetime | None = None) -> Referral:
    if care_given_date > timezone.localdate():
        raise ValidationError({"care_given_date": _("The date care was given cannot be in the future.")})
    return _transition(
        referral=referral,
        action=Action.COMPLETE,
        by=by,
        at=at,
        stamp="closed_at",
        changes={"care_given_date": care_given_date},
    )


def referral_withdraw(*, referral: Referral, by, reason: str, note: str = "", at: datetime | None = None) -> Referral:
    """Withdraw an open request; an accepted one gives its reserved slot back."""
    if reason not in WithdrawReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    # The slot is the one the request holds as locked, not as read before: a withdrawal that waited
    # for an acceptance gives back the slot that acceptance reserved.
    return _transition(
        referral=referral,
        action=Action.WITHDRAW,
        by=by,
        at=at,
        reason=reason,
        note=note,
        stamp="closed_at",
        changes={"receiving_unit_id": None, "planned_date": None, "reserved_offer_id": None},
        then=lambda locked: _release_slot(locked.reserved_offer_id),
    )


def referral_close(
    *,
    referral: Referral,
    by,
    reason: str,
    note: str = "",
    obstacle_category: str = "",
    obstacle_text: str = "",
    at: datetime | None = None,
) -> Referral:
    """Close without coordination, with a reason; optionally raise an obstacle to cooperation."""
    if reason not in CloseReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    _check_texts_leaving_care(note=note, obstacle_category=obstacle_category, obstacle_text=obstacle_text)
    with transaction.atomic():
        referral = _transition(
            referral=referral,
            action=Action.CLOSE,
            by=by,
            at=at,
            reason=reason,
            note=note,
            stamp="closed_at",
        )
        if obstacle_category:
            obstacle_record(
                by=by,
                category=obstacle_category,
                text=obstacle_text,
                region=referral.sending_unit.hospital.region,
                referral=referral,
                source=ObstacleSource.CLOSE,
                at=at,
            )
    return referral


def contact_record(
    *,
    referral: Referral,
    by,
    sending_person: str,
    receiving_person: str,
    contacted_at: datetime,
    note: str = "",
) -> ContactRecord:
    """Record that the sending and receiving units have spoken (the SOT representative's job)."""
    with transaction.atomic():
        locked = Referral.objects.select_for_update().select_related("sending_unit__hospital").get(pk=referral.pk)
        if Role.SOT_REPRESENTATIVE not in referral_roles(by, locked):
            raise PermissionDenied
        if locked.status not in (ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED):
            raise TransitionNotAllowed(_("Contact can be recorded once a receiving unit has been proposed."))
        # Compared as dates: a typo such as year 0001 must give a message, not an overflow.
        contacted_on = contacted_at.date()
        if contacted_on > timezone.localdate() or contacted_at > timezone.now():
            raise ValidationError({"contacted_at": _("The contact cannot be in the future.")})
        if contacted_on < timezone.localtime(locked.submitted_at or locked.created_at).date():
            raise ValidationError({"contacted_at": _("The contact cannot be before the request was submitted.")})
        contact = ContactRecord.objects.create(
            referral=locked,
            sending_person=sending_person,
            receiving_person=receiving_person,
            contacted_at=contacted_at,
            note=note,
            recorded_by=by,
        )
        ReferralEvent.objects.create(
            referral=locked,
            kind=EventKind.CONTACT,
            from_status=locked.status,
            to_status=locked.status,
            actor=by,
            receiving_unit_id=locked.receiving_unit_id,
            note=_("%(sending)s (sending unit) and %(receiving)s (receiving unit), %(when)s")
            % {
                "sending": sending_person,
                "receiving": receiving_person,
                "when": timezone.localtime(contacted_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
        access_record(user=by, referral=locked, action=AccessAction.CHANGE, what="referrals:contact")
    return contact


def obstacle_record(
    *,
    by,
    category: str,
    text: str,
    region: Region,
    referral: Referral | None = None,
    source: str = ObstacleSource.STANDALONE,
    at: datetime | None = None,
) -> Obstacle:
    """Record an obstacle to cooperation, on its own or raised from a decline or a closing."""
    if category not in ObstacleCategory.values:
        raise ValidationError({"category": _("Choose a category from the list.")})
    if not text.strip():
        raise ValidationError({"text": _("Describe the obstacle.")})
    if contains_personal_number(text):
        raise ValidationError({"text": ERROR_PERSONAL_NUMBER_IN_TEXT})
    # Those who act for the region record its obstacles: its SOT representatives, and the staff of
    # its receiving units when they decline a patient.
    scopes = user_scopes(by)
    acts_for_region = region.pk in scopes.sot_regions or (
        Unit.objects.filter(pk__in=scopes.receiving_units, hospital__region=region).exists()
    )
    if not acts_for_region:
        raise PermissionDenied
    obstacle = Obstacle.objects.create(
        category=category,
        text=text.strip(),
        region=region,
        referral=referral,
        source=source,
        created_by=by,
        created_at=_now(at),
    )
    if referral is not None:
        ReferralEvent.objects.create(
            referral=referral,
            kind=EventKind.OBSTACLE,
            from_status=referral.status,
            to_status=referral.status,
            actor=by,
            at=_now(at),
            reason=category,
            note=text.strip(),
        )
    return obstacle


def referral_correct_group(*, referral: Referral, by, diagnosis_group: DiagnosisGroup, note: str = "") -> Referral:
    """The SOT representative may correct the diagnosis group the code mapped to; the report counts by it."""
    with transaction.atomic():
        locked = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("sending_unit__hospital", "diagnosis_group")
            .get(pk=referral.pk)
        )
        if Role.SOT_REPRESENTATIVE not in referral_roles(by, locked):
            raise PermissionDenied
        if locked.submitted_at is None:
            raise TransitionNotAllowed(_("The diagnosis group of a draft follows its ICD-10 code."))
        if locked.diagnosis_group_id == diagnosis_group.pk:
            return locked
        previous = locked.diagnosis_group
        Referral.objects.filter(pk=locked.pk).update(diagnosis_group=diagnosis_group, updated_at=timezone.now())
        ReferralEvent.objects.create(
            referral=locked,
            kind=EventKind.GROUP_CORRECTED,
            from_status=locked.status,
            to_status=locked.status,
            actor=by,
            note=f"{previous or '–'} → {diagnosis_group}" + (f"\n{note.strip()}" if note.strip() else ""),
        )
        access_record(user=by, referral=locked, action=AccessAction.CHANGE, what="referrals:correct_group")
    referral.refresh_from_db()
    return referral
