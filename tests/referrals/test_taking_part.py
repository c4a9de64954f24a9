"""A region that does not take part in SOT neither sends nor receives; one that stops keeps everything already
proposed to or accepted by its units, and its own requests go on being worked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import ReferralStatus as S
from referrals.selectors import referrals_visible_to, units_to_propose
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def stop(region) -> None:
    region.takes_part = False
    region.save()


def test_a_region_that_does_not_take_part_cannot_submit(world):
    referral = ReferralFactory(status=S.DRAFT, sending_unit=world.home_unit)
    assert services.referral_submission_errors(referral) == {}
    stop(world.home_region)
    referral.refresh_from_db()
    assert services.referral_submission_errors(referral) == {"sending_unit": str(services.ERROR_REGION_NOT_TAKING_PART)}
    with pytest.raises(ValidationError) as raised:
        services.referral_submit(referral=referral, by=world.unit_staff)
    assert raised.value.message_dict == {"sending_unit": [str(services.ERROR_REGION_NOT_TAKING_PART)]}
    referral.refresh_from_db()
    assert referral.status == S.DRAFT


def test_the_submit_button_says_why(client, world):
    referral = ReferralFactory(status=S.DRAFT, sending_unit=world.home_unit)
    stop(world.home_region)
    client.force_login(world.unit_staff)
    response = client.post(reverse("referrals:submit", args=[referral.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [str(services.ERROR_REGION_NOT_TAKING_PART)]


def test_a_unit_of_a_region_that_does_not_take_part_is_never_proposed(world):
    referral = ReferralFactory(status=S.IN_REVIEW, sending_unit=world.home_unit)
    stop(world.far_region)
    assert world.far_unit not in units_to_propose(referral)
    assert world.neighbour_unit in units_to_propose(referral)
    with pytest.raises(ValidationError) as raised:
        services.referral_propose(referral=referral, by=world.sot, unit=world.far_unit, reason="Telefonkontakt.")
    assert raised.value.message_dict == {"unit": [str(services.ERROR_UNIT_NOT_TAKING_PART)]}
    referral.refresh_from_db()
    assert (referral.status, referral.receiving_unit) == (S.IN_REVIEW, None)


def test_a_region_that_stops_keeps_what_was_proposed_and_accepted_to_its_units(world):
    proposed = ReferralFactory(status=S.IN_REVIEW, sending_unit=world.home_unit)
    accepted = ReferralFactory(status=S.IN_REVIEW, sending_unit=world.home_unit)
    for referral in (proposed, accepted):
        services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit, reason="Har plats.")
    today = timezone.localdate()
    services.referral_accept(referral=accepted, by=world.receiving_staff, planned_date=today + timedelta(days=5))

    stop(world.neighbour_region)

    for referral, status in ((proposed, S.PROPOSED), (accepted, S.ACCEPTED)):
        referral.refresh_from_db()
        assert (referral.status, referral.receiving_unit) == (status, world.neighbour_unit)
    assert set(referrals_visible_to(world.receiving_staff)) == {proposed, accepted}
    # Its unit still answers and completes what it has.
    services.referral_accept(referral=proposed, by=world.receiving_staff, planned_date=today + timedelta(days=6))
    services.referral_complete(referral=accepted, by=world.receiving_staff, care_given_date=today)
    proposed.refresh_from_db()
    accepted.refresh_from_db()
    assert (proposed.status, accepted.status) == (S.ACCEPTED, S.COMPLETED)


def test_the_requests_of_a_region_that_stops_are_still_worked(world):
    referral = ReferralFactory(status=S.SUBMITTED, sending_unit=world.home_unit)
    stop(world.home_region)
    services.referral_take(referral=referral, by=world.sot)
    services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit, reason="Har plats.")
    referral.refresh_from_db()
    assert (referral.status, referral.receiving_unit) == (S.PROPOSED, world.neighbour_unit)
