"""Issue 12 §3: no personal data reaches a report.

An obstacle's text is its own, explicitly written field (a decline or closing note never becomes
it), and every free text that leaves the patient's care — obstacle texts, decline and close
reasons — is refused when it holds something shaped like a personnummer or samordningsnummer.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from api.services import token_create
from referrals import services
from referrals.models import Obstacle, ReferralStatus
from referrals.rules import ERROR_DESCRIBE_OBSTACLE
from sot.personal_numbers import ERROR_PERSONAL_NUMBER_IN_TEXT, contains_personal_number
from tests.factories import DiagnosisGroupFactory, ReferralFactory
from tests.i18n import shown

S = ReferralStatus

SHAPED = [
    "19121212-1212",
    "191212121212",
    "121212-1212",
    "121212+1212",
    "1212121212",
    "20121272-1219",
    "Tolvan, 19121212 1212, vill inte resa",
    "pnr:121212-1212.",
]
NOT_SHAPED = [
    "Avtal saknas mellan regionerna 2026.",
    "Ring 070-123 45 67 på dagtid",
    "Kostnad 12 500 kr, 3 platser v. 48",
    "Beslut 2026-11-01, ärende 12345",
    "123456789",  # nine digits
    "1234567890123",  # thirteen digits
]


@pytest.mark.parametrize("text", SHAPED)
def test_shapes_of_personal_numbers_are_found(text):
    assert contains_personal_number(text)


@pytest.mark.parametrize("text", NOT_SHAPED)
def test_other_numbers_are_not_taken_for_personal_numbers(text):
    assert not contains_personal_number(text)


def _proposed(world):
    DiagnosisGroupFactory()
    return ReferralFactory(status=S.PROPOSED, sending_unit=world.home_unit, receiving_unit=world.neighbour_unit)


def test_a_decline_note_never_becomes_the_obstacle_text(world):
    referral = _proposed(world)
    with pytest.raises(ValidationError) as error:
        services.referral_decline(
            referral=referral,
            by=world.receiving_staff,
            reason="no_capacity",
            note="Patienten har svår hjärtsvikt, vi saknar IVA.",
            obstacle_category="capacity",
        )
    assert "obstacle_text" in error.value.message_dict
    assert not Obstacle.objects.exists()
    referral.refresh_from_db()
    assert referral.status == S.PROPOSED  # nothing half-done


def test_a_closing_note_never_becomes_the_obstacle_text(world):
    DiagnosisGroupFactory()
    referral = ReferralFactory(status=S.IN_REVIEW, sending_unit=world.home_unit)
    with pytest.raises(ValidationError) as error:
        services.referral_close(
            referral=referral, by=world.sot, reason="no_receiver", note="Pratat med dottern.", obstacle_category="it"
        )
    assert "obstacle_text" in error.value.message_dict
    assert not Obstacle.objects.exists()


def test_decline_page_asks_for_the_obstacle_text_even_with_a_note(client, world):
    referral = _proposed(world)
    client.force_login(world.receiving_staff)
    response = client.post(
        reverse("referrals:decline", args=[referral.pk]),
        {"reason": "no_capacity", "note": "Vi saknar IVA-plats.", "obstacle_category": "capacity"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["obstacle_text"] == [shown(ERROR_DESCRIBE_OBSTACLE)]
    assert not Obstacle.objects.exists()


@pytest.mark.parametrize("field", ["note", "obstacle_text"])
def test_decline_refuses_a_personal_number_next_to_the_field(client, world, field):
    referral = _proposed(world)
    client.force_login(world.receiving_staff)
    data = {"reason": "no_capacity", "obstacle_category": "capacity", "obstacle_text": "Ingen IVA-plats."}
    data[field] = "Gäller 19121212-1212."
    response = client.post(reverse("referrals:decline", args=[referral.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [shown(ERROR_PERSONAL_NUMBER_IN_TEXT)]
    referral.refresh_from_db()
    assert referral.status == S.PROPOSED
    assert not Obstacle.objects.exists()


@pytest.mark.parametrize("field", ["note", "obstacle_text"])
def test_close_refuses_a_personal_number_next_to_the_field(client, world, field):
    DiagnosisGroupFactory()
    referral = ReferralFactory(status=S.IN_REVIEW, sending_unit=world.home_unit)
    client.force_login(world.sot)
    data = {"reason": "no_receiver", "obstacle_category": "it", "obstacle_text": "Journalerna kan inte delas."}
    data[field] = "Patient 121212-1212 tackade nej."
    response = client.post(reverse("referrals:close", args=[referral.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [shown(ERROR_PERSONAL_NUMBER_IN_TEXT)]
    referral.refresh_from_db()
    assert referral.status == S.IN_REVIEW


def test_a_standalone_obstacle_refuses_a_personal_number_next_to_the_field(client, world):
    client.force_login(world.sot)
    response = client.post(
        reverse("work:obstacle_create"),
        {"region": world.home_region.pk, "category": "legal", "text": "Som för 1212121212: inget avtal."},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["text"] == [shown(ERROR_PERSONAL_NUMBER_IN_TEXT)]
    assert not Obstacle.objects.exists()


def test_the_api_refuses_a_personal_number_in_an_obstacle(client, world):
    _token, raw = token_create(user=world.sot, name="test", days=30)
    response = client.post(
        reverse("api:obstacles"),
        {"region": world.home_region.pk, "category": "legal", "text": "Gäller 19121212-1212."},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["text"] == [shown(ERROR_PERSONAL_NUMBER_IN_TEXT)]
    assert not Obstacle.objects.exists()


def test_every_text_problem_is_shown_at_once(client, world):
    """A note with a personnummer and a missing obstacle text are both marked in one round."""
    referral = _proposed(world)
    client.force_login(world.receiving_staff)
    response = client.post(
        reverse("referrals:decline", args=[referral.pk]),
        {"reason": "no_capacity", "note": "Gäller 19121212-1212", "obstacle_category": "capacity"},
    )
    errors = response.context["form"].errors
    assert "personnummer" in " ".join(errors["note"]) and "Beskriv hindret." in " ".join(errors["obstacle_text"])
