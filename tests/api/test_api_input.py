"""The API's input serializers judge a body as the pages' forms judge the same input: the rules that span
fields (`referrals.rules`) give the same message from the form and from the API, in Swedish and English,
together with every other error; a value of the wrong JSON type is refused, never coerced."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from api.serializers.fields import INVALID_CHOICE, NOT_LISTED, REQUIRED, SEND_OBJECT, WRONG_TYPE
from api.services import token_create
from referrals.models import Referral, ReferralStatus
from referrals.rules import (
    ERROR_DECISION_IN_FUTURE,
    ERROR_DESCRIBE_OBSTACLE,
    ERROR_INTERPRETER_LANGUAGE,
    ERROR_TARGET_BEFORE_DECISION,
)
from sot.personal_numbers import ERROR_CHECKSUM, ERROR_PERSONAL_NUMBER_IN_TEXT
from tests.factories import DiagnosisGroupFactory, MedicalPriorityFactory, ReferralFactory
from tests.i18n import shown

LIST = "/api/v1/referrals/"
LANGUAGES = ["sv", "en"]


@pytest.fixture
def priority(db):
    DiagnosisGroupFactory()
    return MedicalPriorityFactory()


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='test', days=1)[1]}")
    return client


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(medical_priority, **overrides) -> dict:
    """A request as the API takes it (JSON types)."""
    data = {
        "personal_number": "19121212-1212",
        "patient_name": "Tolvan Tolvansson",
        "icd10_code": "M17.1",
        "priority": medical_priority.pk,
        "asa_class": 3,
        "decision_date": (timezone.localdate() - timedelta(days=5)).isoformat(),
        "consent_referral": True,
        "consent_disclosure": True,
    }
    return {**data, **overrides}


def form_data(world, data: dict) -> dict:
    """The same request as the page's form takes it (text, ticked boxes present)."""
    fields = {"sending_unit": world.home_unit.pk, "home_region": world.home_region.pk, "submit": "1"}
    for name, value in data.items():
        if value is True:
            fields[name] = "on"
        elif value not in (False, None):
            fields[name] = str(value)
    return fields


def page_errors(response, language: str) -> dict[str, list[str]]:
    """The form's messages by field, as the page shows them in `language`."""
    with translation.override(language):
        return {
            name: [message for error in errors for message in error.messages]
            for name, errors in response.context["form"].errors.as_data().items()
        }


def api_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()["errors"]


def _both(world, data: dict, language: str) -> tuple[dict, dict]:
    from_page = page(world.unit_staff).post(
        reverse("referrals:create"), form_data(world, data), HTTP_ACCEPT_LANGUAGE=language
    )
    from_api = api(world.unit_staff).post(LIST, data, format="json", HTTP_ACCEPT_LANGUAGE=language)
    return page_errors(from_page, language), api_errors(from_api)


@pytest.mark.parametrize("language", LANGUAGES)
def test_target_before_decision_is_told_alike(world, priority, language):
    decision = timezone.localdate() - timedelta(days=5)
    data = body(priority, medical_target_date=(decision - timedelta(days=1)).isoformat())
    from_page, from_api = _both(world, data, language)
    expected = {"medical_target_date": [shown(ERROR_TARGET_BEFORE_DECISION, language=language)]}
    assert from_page == from_api == expected
    assert not Referral.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_interpreter_needs_a_language_alike(world, priority, language):
    from_page, from_api = _both(world, body(priority, needs_interpreter=True), language)
    expected = {"interpreter_language": [shown(ERROR_INTERPRETER_LANGUAGE, language=language)]}
    assert from_page == from_api == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_decision_in_the_future_is_told_alike(world, priority, language):
    data = body(priority, decision_date=(timezone.localdate() + timedelta(days=1)).isoformat())
    from_page, from_api = _both(world, data, language)
    assert from_page == from_api == {"decision_date": [shown(ERROR_DECISION_IN_FUTURE, language=language)]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_error_is_told_at_once_with_the_forms_messages(world, priority, language):
    """The rules that span fields are judged on the fields that are valid, next to each field's own errors,
    as the form does; Django's own messages (a required field) are the form's, not the REST framework's."""
    decision = timezone.localdate() - timedelta(days=5)
    data = body(
        priority,
        personal_number="19121212-1213",
        patient_name="  ",
        medical_target_date=(decision - timedelta(days=1)).isoformat(),
        needs_interpreter=True,
    )
    from_page, from_api = _both(world, data, language)
    assert from_page == from_api
    assert from_api["personal_number"] == [shown(ERROR_CHECKSUM, language=language)]
    assert from_api["patient_name"] == [shown(REQUIRED, language=language)]
    assert set(from_api) == {"personal_number", "patient_name", "medical_target_date", "interpreter_language"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("asa_class", "3", NOT_LISTED),  # a number, not its text
        ("asa_class", True, NOT_LISTED),
        ("priority", "1", WRONG_TYPE),
        ("patient_name", 12, WRONG_TYPE),
        ("consent_referral", "true", WRONG_TYPE),
        ("decision_date", 20261110, WRONG_TYPE),
        ("personal_number", None, WRONG_TYPE),
        ("icd10_code", {"code": "M17.1"}, WRONG_TYPE),
    ],
)
def test_a_value_of_the_wrong_json_type_is_refused(world, priority, field, value, message):
    response = api(world.unit_staff).post(LIST, body(priority, **{field: value}), format="json")
    assert api_errors(response) == {field: [shown(message)]}


@pytest.mark.parametrize("payload", ["[]", '"x"', "5", "null"])
def test_the_body_is_a_json_object(world, payload):
    response = api(world.unit_staff).post(LIST, payload, content_type="application/json")
    assert api_errors(response) == {"non_field_errors": [shown(SEND_OBJECT)]}


def test_left_out_values_are_the_forms_defaults(world, priority):
    """An unticked box is false, an empty text empty, a left-out date none, as the form reads them."""
    response = api(world.unit_staff).post(LIST, {"personal_number": "191212121212", "patient_name": "T"}, format="json")
    assert response.status_code == 201, response.content
    referral = Referral.objects.get()
    assert (referral.status, referral.sending_unit, referral.patient_home_region) == (
        ReferralStatus.DRAFT,
        world.home_unit,
        world.home_region,
    )
    assert (referral.consent_referral, referral.icd10_code, referral.decision_date, referral.priority) == (
        False,
        "",
        None,
        None,
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_declines_texts_are_judged_alike(world, language):
    referral = ReferralFactory.create(
        sending_unit=world.home_unit, status=ReferralStatus.PROPOSED, receiving_unit=world.neighbour_unit
    )
    data = {"reason": "no_capacity", "note": "Gäller 19121212-1212.", "obstacle_category": "economic"}
    from_page = page(world.receiving_staff).post(
        reverse("referrals:decline", args=[referral.pk]), data, HTTP_ACCEPT_LANGUAGE=language
    )
    from_api = api(world.receiving_staff).post(
        f"{LIST}{referral.pk}/decline/", data, format="json", HTTP_ACCEPT_LANGUAGE=language
    )
    expected = {
        "obstacle_text": [shown(ERROR_DESCRIBE_OBSTACLE, language=language)],
        "note": [shown(ERROR_PERSONAL_NUMBER_IN_TEXT, language=language)],
    }
    assert page_errors(from_page, language) == api_errors(from_api) == expected
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PROPOSED


def test_a_decline_without_an_obstacle_may_say_so_with_an_empty_category(world):
    referral = ReferralFactory.create(
        sending_unit=world.home_unit, status=ReferralStatus.PROPOSED, receiving_unit=world.neighbour_unit
    )
    response = api(world.receiving_staff).post(
        f"{LIST}{referral.pk}/decline/", {"reason": "no_capacity", "obstacle_category": ""}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == ReferralStatus.IN_REVIEW


def test_a_proposal_names_a_unit_outside_the_sending_region(world):
    referral = ReferralFactory.create(sending_unit=world.home_unit, status=ReferralStatus.IN_REVIEW)
    response = api(world.sot).post(f"{LIST}{referral.pk}/propose/", {"unit": world.home_unit.pk}, format="json")
    assert api_errors(response) == {"unit": [shown(INVALID_CHOICE)]}  # Django's message, as on the page
