"""Nothing is lost: a failure in the middle of a step leaves the previous state; nothing is hard-deleted."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError

from audit.models import AccessLogEntry
from referrals import services
from referrals.models import Patient, Referral, ReferralEvent
from referrals.models import ReferralStatus as S
from tests.factories import ReferralFactory


@pytest.mark.parametrize(
    "breaking_point", ["referrals.services.history.access_record", "referrals.services.history.queue_notification"]
)
def test_a_failure_inside_a_transition_leaves_the_previous_state(world, monkeypatch, breaking_point):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED)
    events = ReferralEvent.objects.count()

    def fail(*args, **kwargs):
        raise RuntimeError("the database connection was lost")

    monkeypatch.setattr(breaking_point, fail)
    with pytest.raises(RuntimeError):
        services.referral_take(referral=referral, by=world.sot)
    referral.refresh_from_db()
    assert referral.status == S.SUBMITTED
    assert ReferralEvent.objects.count() == events
    assert not AccessLogEntry.objects.exists()


def test_requests_patients_and_their_history_cannot_be_deleted(world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.DRAFT)
    services.referral_submit(referral=referral, by=world.unit_staff)
    with pytest.raises(ProtectedError):
        Referral.objects.filter(pk=referral.pk).delete()
    with pytest.raises(ProtectedError):
        Patient.objects.filter(pk=referral.patient_id).delete()
    with pytest.raises(TypeError):
        ReferralEvent.objects.filter(referral=referral).delete()
    with pytest.raises(TypeError):
        AccessLogEntry.objects.filter(referral=referral).delete()
    assert Referral.objects.filter(pk=referral.pk).exists()
