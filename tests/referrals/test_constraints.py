"""Invariants that the database itself enforces, whatever code writes the row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import Membership, Role
from catalog.models import DiagnosisCodeRange
from referrals.models import Referral, ReferralEvent, ReferralStatus
from tests.factories import DiagnosisGroupFactory, PatientFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db


def _violates(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_submitted_request_needs_consent(world):
    _violates(lambda: ReferralFactory(status=ReferralStatus.SUBMITTED, consent_disclosure=False))


def test_submitted_request_needs_diagnosis_and_priority(world):
    _violates(lambda: ReferralFactory(status=ReferralStatus.SUBMITTED, priority=None))
    _violates(lambda: ReferralFactory(status=ReferralStatus.SUBMITTED, icd10_code=""))


def test_draft_may_be_incomplete(world):
    referral = ReferralFactory(status=ReferralStatus.DRAFT, priority=None, consent_referral=False, icd10_code="")
    assert referral.pk


def test_target_date_not_before_decision(world):
    referral = ReferralFactory.build()
    decided = referral.decision_date
    assert decided is not None
    _violates(
        lambda: ReferralFactory(
            decision_date=decided,
            medical_target_date=decided - timedelta(days=1),
        )
    )


def test_status_must_be_known(world):
    _violates(lambda: ReferralFactory(status="lost"))


def test_receiving_unit_only_while_proposed_or_later(world):
    _violates(lambda: ReferralFactory(status=ReferralStatus.IN_REVIEW, receiving_unit=world.far_unit))
    _violates(lambda: ReferralFactory(status=ReferralStatus.PROPOSED, receiving_unit=None))


def test_accepted_needs_planned_date(world):
    _violates(lambda: ReferralFactory(status=ReferralStatus.ACCEPTED, planned_date=None, accepted_at=None))


def test_reference_is_unique(world):
    ReferralFactory(reference="SOT-2026-000001")
    _violates(lambda: ReferralFactory(reference="SOT-2026-000001"))


def test_asa_class_range(world):
    _violates(lambda: ReferralFactory(asa_class=7))


def test_patient_number_is_twelve_digits(world):
    _violates(lambda: PatientFactory(personal_number="1212121212"))


def test_patient_number_is_unique(world):
    PatientFactory(personal_number="191212121212")
    _violates(lambda: PatientFactory(personal_number="191212121212"))


def test_membership_scope_must_match_role(world):
    user = UserFactory()
    _violates(lambda: Membership.objects.create(user=user, role=Role.UNIT_STAFF, region=world.home_region))
    _violates(lambda: Membership.objects.create(user=user, role=Role.SOT_REPRESENTATIVE, unit=world.home_unit))
    _violates(
        lambda: Membership.objects.create(
            user=user, role=Role.HEALTH_DIRECTOR, region=world.home_region, healthcare_region=world.south
        )
    )
    assert Membership.objects.create(user=user, role=Role.HEALTH_DIRECTOR, healthcare_region=world.south).pk


def test_membership_is_unique(world):
    _violates(lambda: Membership.objects.create(user=world.sot, role=Role.SOT_REPRESENTATIVE, region=world.home_region))


def test_code_range_format_and_order(db):
    group = DiagnosisGroupFactory(ranges=[("K40", "K46")])
    _violates(lambda: DiagnosisCodeRange.objects.create(group=group, first="M20", last="M10"))
    _violates(lambda: DiagnosisCodeRange.objects.create(group=group, first="m20", last="m30"))


def test_events_are_append_only_in_the_orm(world):
    referral = ReferralFactory(sending_unit=world.home_unit)
    event = ReferralEvent.objects.create(referral=referral, kind="created", to_status="draft", actor=world.unit_staff)
    event.note = "changed"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        ReferralEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(TypeError):
        ReferralEvent.objects.filter(pk=event.pk).delete()


def test_events_are_append_only_in_the_database(world):
    """A trigger refuses changes made past the ORM; on PostgreSQL deletes too (see referrals/db_guards.py)."""
    referral = ReferralFactory(sending_unit=world.home_unit)
    event = ReferralEvent.objects.create(referral=referral, kind="created", to_status="draft", actor=world.unit_staff)
    statements = ["UPDATE referrals_referralevent SET note = 'x' WHERE id = %s"]
    if connection.vendor == "postgresql":
        statements.append("DELETE FROM referrals_referralevent WHERE id = %s")
    for sql in statements:
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert ReferralEvent.objects.get(pk=event.pk).note == ""


def test_referral_cannot_be_deleted_while_it_has_history(world):
    referral = ReferralFactory(sending_unit=world.home_unit)
    ReferralEvent.objects.create(referral=referral, kind="created", to_status="draft", actor=world.unit_staff)
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Referral.objects.filter(pk=referral.pk).delete()
