"""E-mails after commit: the right recipients, the reference and a link, never personal data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from referrals import services
from referrals.models import DeclineReason, ReferralStatus
from tests.factories import ReferralFactory, UserFactory
from tests.i18n import shown

S = ReferralStatus


@pytest.fixture
def emails(world):
    for user, address in (
        (world.unit_staff, "staff@lund.example.org"),
        (world.sot, "sot@skane.example.org"),
        (world.other_sot, "sot@blekinge.example.org"),
        (world.receiving_staff, "receiver@karlskrona.example.org"),
        (world.director, "director@skane.example.org"),
    ):
        user.email = address
        user.save()


def _no_personal_data(referral):
    for message in mail.outbox:
        text = str(message.subject) + str(message.body)
        assert referral.patient.personal_number not in text
        assert referral.patient.personal_number[2:8] not in text  # not even the birth date
        assert referral.patient_name not in text
        assert referral.reference in message.subject
        assert f"/requests/{referral.pk}/" in message.body


def test_submit_tells_the_regions_sot_representatives(world, emails, django_capture_on_commit_callbacks):
    referral = ReferralFactory(status=S.DRAFT, sending_unit=world.home_unit)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_submit(referral=referral, by=world.unit_staff)
    assert [m.to for m in mail.outbox] == [["sot@skane.example.org"]]
    assert shown(gettext_lazy("A new coordination request has been submitted to SOT.")) in mail.outbox[0].body
    _no_personal_data(referral)


def test_proposal_tells_the_receiving_unit(world, emails, django_capture_on_commit_callbacks):
    referral = ReferralFactory(status=S.IN_REVIEW, sending_unit=world.home_unit)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit, reason="Telefon.")
    assert [m.to for m in mail.outbox] == [["receiver@karlskrona.example.org"]]
    _no_personal_data(referral)


@pytest.mark.parametrize("outcome", ["accept", "decline"])
def test_answer_tells_the_sending_unit_and_sot(world, emails, django_capture_on_commit_callbacks, outcome):
    referral = ReferralFactory(status=S.PROPOSED, sending_unit=world.home_unit, receiving_unit=world.neighbour_unit)
    with django_capture_on_commit_callbacks(execute=True):
        if outcome == "accept":
            services.referral_accept(
                referral=referral, by=world.receiving_staff, planned_date=timezone.localdate() + timedelta(days=9)
            )
        else:
            services.referral_decline(referral=referral, by=world.receiving_staff, reason=DeclineReason.NO_CAPACITY)
    assert sorted(m.to[0] for m in mail.outbox) == ["sot@skane.example.org", "staff@lund.example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees who else was told
    _no_personal_data(referral)


def test_nothing_is_sent_when_the_change_is_rolled_back(world, emails, django_capture_on_commit_callbacks):
    referral = ReferralFactory(status=S.DRAFT, sending_unit=world.home_unit)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.referral_submit(referral=referral, by=world.unit_staff)
                raise RuntimeError("something later in the same transaction failed")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []


def test_inactive_users_and_users_without_address_get_nothing(world, emails, django_capture_on_commit_callbacks):
    from accounts.models import Role
    from tests.factories import member

    silent = UserFactory(username="no-mail", email="")
    member(silent, Role.SOT_REPRESENTATIVE, world.home_region)
    gone = UserFactory(username="gone", email="gone@skane.example.org", is_active=False)
    member(gone, Role.SOT_REPRESENTATIVE, world.home_region)
    referral = ReferralFactory(status=S.DRAFT, sending_unit=world.home_unit)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_submit(referral=referral, by=world.unit_staff)
    assert [m.to for m in mail.outbox] == [["sot@skane.example.org"]]


def test_take_sends_nothing(world, emails, django_capture_on_commit_callbacks):
    referral = ReferralFactory(status=S.SUBMITTED, sending_unit=world.home_unit)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_take(referral=referral, by=world.sot)
    assert mail.outbox == []
