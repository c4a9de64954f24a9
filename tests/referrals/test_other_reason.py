""" "Annat skäl" says nothing on its own: a decline or a closing with it needs a note, on the page, in the
API and in the service, so that the SOT representative has something to act on."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from referrals import services
from referrals.models import ReferralStatus
from referrals.rules import ERROR_OTHER_REASON_NOTE
from tests.factories import ReferralFactory

S = ReferralStatus


def test_the_service_refuses_a_decline_for_another_reason_without_a_note(world):
    referral = ReferralFactory(sending_unit=world.home_unit, receiving_unit=world.neighbour_unit, status=S.PROPOSED)
    with pytest.raises(ValidationError) as refused:
        services.referral_decline(referral=referral, by=world.receiving_staff, reason="other", note="  ")
    assert refused.value.message_dict["note"] == [str(ERROR_OTHER_REASON_NOTE)]
    referral.refresh_from_db()
    assert referral.status == S.PROPOSED
    services.referral_decline(
        referral=referral, by=world.receiving_staff, reason="other", note="Operationssalen stängd."
    )
    referral.refresh_from_db()
    assert referral.status == S.IN_REVIEW


def test_the_decline_page_says_so_next_to_the_note(client, world):
    referral = ReferralFactory(sending_unit=world.home_unit, receiving_unit=world.neighbour_unit, status=S.PROPOSED)
    client.force_login(world.receiving_staff)
    response = client.post(reverse("referrals:decline", args=[referral.pk]), {"reason": "other", "note": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["note"] == [str(ERROR_OTHER_REASON_NOTE)]
    referral.refresh_from_db()
    assert referral.status == S.PROPOSED


def test_closing_for_another_reason_needs_a_note_too(world):
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.referral_close(referral=referral, by=world.sot, reason="other")
    services.referral_close(referral=referral, by=world.sot, reason="no_receiver")
    referral.refresh_from_db()
    assert referral.status == S.CLOSED
