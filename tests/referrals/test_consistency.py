"""`manage.py check_consistency` finds what the database cannot hold by itself, and nothing on a consistent one."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from capacity.models import CapacityOffer
from capacity.weeks import first_open_week, iso_week
from referrals import services
from referrals.consistency import find_problems
from referrals.models import EventKind, Referral, ReferralEvent, ReferralStatus, WithdrawReason
from tests.factories import (
    CapacityOfferFactory,
    DiagnosisGroupFactory,
    MedicalPriorityFactory,
    PatientFactory,
    ReferralFactory,
)

S = ReferralStatus


@pytest.fixture
def accepted(world):
    """A request filed, proposed and accepted through the services, holding one slot of a two-slot offer."""
    group = DiagnosisGroupFactory()
    week = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    offer = CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=group, week_start=week, slots=2)
    referral = services.referral_create(
        by=world.unit_staff,
        sending_unit=world.home_unit,
        patient=PatientFactory(),
        patient_name="Astrid Testsson",
        patient_home_region=world.home_region,
        icd10_code="M17.1",
        priority=MedicalPriorityFactory(),
        asa_class=3,
        decision_date=timezone.localdate() - timedelta(days=20),
        consent_referral=True,
        consent_disclosure=True,
    )
    services.referral_submit(referral=referral, by=world.unit_staff)
    services.referral_take(referral=referral, by=world.sot)
    services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit, reason="Plats finns.")
    services.referral_accept(
        referral=referral, by=world.receiving_staff, planned_date=week + timedelta(days=2), offer=offer
    )
    referral.refresh_from_db()
    offer.refresh_from_db()
    assert (referral.status, referral.reserved_offer_id, offer.reserved_slots) == (S.ACCEPTED, offer.pk, 1)
    return referral, offer


def _run() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("check_consistency", stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_consistent_database_exits_zero(accepted):
    referral, _offer = accepted
    services.referral_withdraw(referral=referral, by=referral.created_by, reason=WithdrawReason.OTHER)
    code, out = _run()
    assert code == 0, out
    assert "No problems: 1 capacity offers and 1 requests checked." in out


def test_reserved_slots_corrupted_by_raw_sql(accepted):
    referral, offer = accepted
    _sql(f"UPDATE {CapacityOffer._meta.db_table} SET reserved_slots = 2 WHERE id = %s", [offer.pk])  # noqa: S608
    code, out = _run()
    assert code == 1
    assert (
        f"capacity offer {offer.pk} ({offer.unit.name}, {iso_week(offer.week_start)}): 2 slots are counted "
        "as reserved, but 1 accepted or completed requests hold one." in out
    )
    assert "1 problem found (1 capacity offers and 1 requests checked)." in out
    # Nothing about the patient, only the reference and the offer.
    assert referral.patient_name not in out and referral.patient.personal_number not in out


def test_a_slot_released_twice_or_never(accepted):
    _referral, offer = accepted
    _sql(f"UPDATE {CapacityOffer._meta.db_table} SET reserved_slots = 0 WHERE id = %s", [offer.pk])  # noqa: S608
    assert [str(p) for p in find_problems()] == [
        f"capacity offer {offer.pk} ({offer.unit.name}, {iso_week(offer.week_start)}): 0 slots are counted "
        "as reserved, but 1 accepted or completed requests hold one."
    ]


def test_a_reservation_of_another_units_or_groups_capacity(world, accepted):
    referral, offer = accepted
    other_group = DiagnosisGroupFactory(code="gra-starr", name="Grå starr", ranges=[("H25", "H26")])
    table = Referral._meta.db_table
    _sql(f"UPDATE {table} SET receiving_unit_id = %s WHERE id = %s", [world.far_unit.pk, referral.pk])  # noqa: S608
    _sql(f"UPDATE {table} SET diagnosis_group_id = %s WHERE id = %s", [other_group.pk, referral.pk])  # noqa: S608
    _sql(f"UPDATE {table} SET planned_date = %s WHERE id = %s", [offer.week_start - timedelta(days=1), referral.pk])  # noqa: S608
    prefix = f"{referral.reference}: holds a slot of capacity offer {offer.pk}"
    assert [str(p) for p in find_problems()] == [
        f"{prefix} ({offer.unit.name}, {iso_week(offer.week_start)}), "
        "which belongs to another unit than the request's receiving unit.",
        f"{prefix} ({offer.unit.name}, {iso_week(offer.week_start)}), "
        "which is for another diagnosis group, and the group was not corrected after acceptance.",
        f"{prefix} ({offer.unit.name}, {iso_week(offer.week_start)}), "
        "but the request's planned date is outside that week.",
    ]


def test_a_group_corrected_after_acceptance_is_no_problem(world, accepted):
    referral, _offer = accepted
    other_group = DiagnosisGroupFactory(code="gra-starr", name="Grå starr", ranges=[("H25", "H26")])
    services.referral_correct_group(referral=referral, by=world.sot, diagnosis_group=other_group)
    assert find_problems() == []


def test_a_history_that_does_not_lead_to_the_status(world, accepted):
    referral, _offer = accepted
    last = referral.events.order_by("-id").first()
    stray = ReferralEvent.objects.create(
        referral=referral,
        kind=EventKind.CONTACT,
        from_status=S.PROPOSED,
        to_status=S.PROPOSED,
        actor=world.sot,
        at=last.at - timedelta(minutes=5),
    )
    assert [str(p) for p in find_problems()] == [
        f"{referral.reference}: is accepted, but its last event leaves it proposed.",
        f"{referral.reference}: event {stray.pk} (contact) is dated before event {last.pk}, which it follows.",
        f"{referral.reference}: event {stray.pk} (contact) starts from proposed, "
        f"but event {last.pk} before it left the request accepted.",
    ]
    code, out = _run()
    assert code == 1 and "3 problems found" in out


@pytest.mark.django_db
def test_a_request_without_history():
    referral = ReferralFactory(status=S.SUBMITTED)
    assert [str(p) for p in find_problems()] == [f"{referral.reference}: has no history (not one event)."]
