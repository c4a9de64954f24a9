"""Issue 12 §4: Swedish rules exactly — no birth date in the future, and the clock starts at the decision."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum import luhn

from referrals import services
from referrals.clock import Period, care_guarantee_deadline, paused_days, wait_status
from sot.personal_numbers import normalize_personal_number
from tests.factories import DiagnosisGroupFactory, MedicalPriorityFactory, ReferralFactory

DECISION = date(2026, 1, 10)


def _with_check_digit(date_digits: str, birth_number: str = "238") -> str:
    """A number with a correct Luhn digit: date_digits is YYMMDD."""
    return date_digits + birth_number + luhn.calc_check_digit(date_digits + birth_number)


def _future_birth_dates():
    tomorrow = timezone.localdate() + timedelta(days=1)
    far = date(timezone.localdate().year + 1, 6, 15)
    for day in (tomorrow, far):
        century = f"{day:%Y}"[:2]
        ten = _with_check_digit(day.strftime("%y%m%d"))
        coordination = _with_check_digit(day.strftime("%y%m") + f"{day.day + 60:02d}")
        yield century + ten  # 12 digits
        yield century + coordination  # samordningsnummer, 12 digits
        if day.year == tomorrow.year:
            # Ten digits name a year of the last hundred (Skatteverket): only this year's can lie ahead.
            yield f"{ten[:6]}-{ten[6:]}"
            yield ten
            yield f"{coordination[:6]}-{coordination[6:]}"


@pytest.mark.parametrize("raw", list(_future_birth_dates()))
def test_a_birth_date_after_today_is_refused(raw):
    with pytest.raises(ValidationError) as error:
        normalize_personal_number(raw)
    assert error.value.code == "future"


def test_a_birth_date_of_today_is_accepted():
    today = timezone.localdate()
    number = _with_check_digit(today.strftime("%y%m%d"))
    assert normalize_personal_number(f"{today:%Y}"[:2] + number) == f"{today:%Y}"[:2] + number


def test_plus_gives_the_century_a_hundred_years_back():
    # Ten digits with "+" (100 years or older): the year of the century before.
    today = timezone.localdate()
    number = _with_check_digit(today.strftime("%y%m%d"))
    assert normalize_personal_number(f"{number[:6]}+{number[6:]}") == f"{today.year - 100}"[:2] + number


# The clock starts at the decision: only paused days after the decision date count.


def test_a_pause_before_the_decision_does_not_move_the_deadline():
    before = [Period(date(2025, 12, 1), date(2025, 12, 31))]
    assert care_guarantee_deadline(DECISION, 90, before) == date(2026, 4, 10)


def test_only_the_part_of_a_pause_after_the_decision_counts():
    straddling = [Period(date(2026, 1, 1), date(2026, 1, 15))]  # 5 days after 2026-01-10
    assert care_guarantee_deadline(DECISION, 90, straddling) == date(2026, 4, 15)
    assert paused_days(straddling, since=DECISION) == 5


def test_days_waited_ignore_pauses_before_the_decision():
    status = wait_status(
        today=date(2026, 1, 20),
        decision_date=DECISION,
        deadline=date(2026, 4, 10),
        target_date=None,
        periods=[Period(date(2026, 1, 1), date(2026, 1, 12))],
    )
    assert status.days_waited == 10 - 2


@pytest.mark.django_db
def test_correcting_the_decision_date_of_a_draft_recomputes_the_deadline(world):
    DiagnosisGroupFactory()
    MedicalPriorityFactory()
    decision = timezone.localdate() - timedelta(days=30)
    draft = ReferralFactory(sending_unit=world.home_unit, unit_staff=world.unit_staff, decision_date=decision)
    services.wait_pause_add(
        referral=draft,
        by=world.unit_staff,
        kind="pvv",
        start_date=decision + timedelta(days=1),
        end_date=decision + timedelta(days=10),
    )
    draft.refresh_from_db()
    assert draft.care_guarantee_deadline == decision + timedelta(days=100)
    # The decision was in fact taken later: the pause now lies wholly before it.
    later = decision + timedelta(days=20)
    services.referral_update_draft(
        referral=draft, by=world.unit_staff, patient=draft.patient, decision_date=later, medical_target_date=None
    )
    draft.refresh_from_db()
    assert draft.care_guarantee_deadline == later + timedelta(days=90)


@pytest.mark.django_db
def test_a_pause_after_submission_keeps_the_corrected_diagnosis_group(world):
    DiagnosisGroupFactory()
    other = DiagnosisGroupFactory(code="hand", name="Handkirurgi", ranges=[("S62", "S63")])
    referral = ReferralFactory(status="submitted", sending_unit=world.home_unit)
    assert referral.decision_date is not None
    services.referral_correct_group(referral=referral, by=world.sot, diagnosis_group=other)
    services.wait_pause_add(
        referral=referral,
        by=world.unit_staff,
        kind="mov",
        start_date=referral.decision_date + timedelta(days=2),
        end_date=referral.decision_date + timedelta(days=4),
    )
    referral.refresh_from_db()
    assert referral.diagnosis_group == other
    assert referral.care_guarantee_deadline == referral.decision_date + timedelta(days=93)
