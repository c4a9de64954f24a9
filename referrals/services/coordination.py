"""Coordination around a request: contact between the units, obstacles to cooperation, the diagnosis
group the report counts by. Changes to a request go through `history.referral_change`."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import user_scopes
from catalog.models import DiagnosisGroup
from organisations.models import Region, Unit
from referrals.lifecycle import Action
from referrals.models import (
    ContactRecord,
    Obstacle,
    ObstacleCategory,
    ObstacleSource,
    Referral,
)
from referrals.services.history import Outcome, TransitionNotAllowed, now, referral_change
from referrals.signals import figures_touched
from sot.personal_numbers import ERROR_PERSONAL_NUMBER_IN_TEXT, contains_personal_number


def contact_record(
    *,
    referral: Referral,
    by: User,
    sending_person: str,
    receiving_person: str,
    contacted_at: datetime,
    note: str = "",
) -> ContactRecord:
    """Record that the sending and receiving units have spoken (the SOT representative's job)."""
    contacts: list[ContactRecord] = []

    def apply(locked: Referral, when: datetime) -> Outcome:
        # Compared as local dates (a time sent in UTC just after midnight is that day's); a typo such as year
        # 0001 or 9999 must give a message, not an overflow.
        try:
            contacted_on = timezone.localtime(contacted_at).date()
        except OverflowError:
            contacted_on = contacted_at.date()
        if contacted_on > timezone.localdate() or contacted_at > timezone.now():
            raise ValidationError({"contacted_at": _("The contact cannot be in the future.")})
        if contacted_on < timezone.localtime(locked.submitted_at or locked.created_at).date():
            raise ValidationError({"contacted_at": _("The contact cannot be before the request was submitted.")})
        contacts.append(
            ContactRecord.objects.create(
                referral=locked,
                sending_person=sending_person,
                receiving_person=receiving_person,
                contacted_at=contacted_at,
                note=note,
                recorded_by=by,
                recorded_at=when,
            )
        )
        return Outcome(
            note=_("%(sending)s (sending unit) and %(receiving)s (receiving unit), %(when)s")
            % {
                "sending": sending_person,
                "receiving": receiving_person,
                "when": timezone.localtime(contacted_at).strftime("%Y-%m-%d %H:%M"),
            }
        )

    referral_change(referral=referral, action=Action.RECORD_CONTACT, by=by, apply=apply)
    return contacts[0]


def obstacle_create(
    *,
    by: User,
    category: str,
    text: str,
    region: Region,
    referral: Referral | None,
    source: str,
    at: datetime | None = None,
) -> Obstacle:
    """The obstacle row alone. Its event, when it concerns a request, is written by the step that raised it."""
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
    with transaction.atomic():  # the figures hear of the obstacle with it, or of nothing
        obstacle = Obstacle.objects.create(
            category=category,
            text=text.strip(),
            region=region,
            referral=referral,
            source=source,
            created_by=by,
            created_at=now(at),
        )
        figures_touched.send(sender=Obstacle, region=region, since=obstacle.created_at)
    return obstacle


def obstacle_record(
    *,
    by: User,
    category: str,
    text: str,
    region: Region,
    referral: Referral | None = None,
    at: datetime | None = None,
) -> Obstacle:
    """Record an obstacle to cooperation on its own, or by the SOT representative on one of the region's requests."""
    if referral is None:
        return obstacle_create(
            by=by, category=category, text=text, region=region, referral=None, source=ObstacleSource.STANDALONE, at=at
        )
    obstacles: list[Obstacle] = []

    def apply(locked: Referral, when: datetime) -> Outcome:
        source = ObstacleSource.STANDALONE
        obstacle = obstacle_create(
            by=by, category=category, text=text, region=region, referral=locked, source=source, at=when
        )
        obstacles.append(obstacle)
        return Outcome(reason=obstacle.category, note=obstacle.text)

    referral_change(referral=referral, action=Action.RAISE_OBSTACLE, by=by, at=at, apply=apply)
    return obstacles[0]


def referral_correct_group(
    *, referral: Referral, by: User, diagnosis_group: DiagnosisGroup, note: str = "", at: datetime | None = None
) -> Referral:
    """The SOT representative may correct the diagnosis group the code mapped to; the report counts by it."""

    def apply(locked: Referral, when: datetime) -> Outcome:
        if locked.submitted_at is None:
            raise TransitionNotAllowed(_("The diagnosis group of a draft follows its ICD-10 code."))
        if locked.diagnosis_group_id == diagnosis_group.pk:
            return Outcome(unchanged=True)
        previous = locked.diagnosis_group
        Referral.objects.filter(pk=locked.pk).update(diagnosis_group=diagnosis_group, updated_at=when)
        return Outcome(note=f"{previous or '–'} → {diagnosis_group}" + (f"\n{note.strip()}" if note.strip() else ""))

    referral_change(referral=referral, action=Action.CORRECT_GROUP, by=by, at=at, apply=apply)
    referral.refresh_from_db()
    return referral
