"""The rules that span a request's fields (`referrals.rules`): one place, applied by the intake form and
the API before the service (tests/api/test_api_input.py) and by the model's `clean` in every service."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from referrals import services
from referrals.models import Referral
from referrals.rules import (
    ERROR_DECISION_IN_FUTURE,
    ERROR_DESCRIBE_OBSTACLE,
    ERROR_INTERPRETER_LANGUAGE,
    ERROR_TARGET_BEFORE_DECISION,
    referral_errors,
    texts_leaving_care_errors,
    validate_decision_date,
)
from sot.personal_numbers import ERROR_PERSONAL_NUMBER_IN_TEXT
from tests.factories import DiagnosisGroupFactory, MedicalPriorityFactory

DECISION = date(2026, 11, 10)


def _messages(errors: dict[str, ValidationError]) -> dict[str, list[str]]:
    return {name: error.messages for name, error in errors.items()}


def _codes(errors: dict[str, ValidationError]) -> dict[str, str | None]:
    return {name: error.code for name, error in errors.items()}


def test_the_target_date_is_not_before_the_decision():
    errors = referral_errors({"decision_date": DECISION, "medical_target_date": DECISION - timedelta(days=1)})
    assert _messages(errors) == {"medical_target_date": [str(ERROR_TARGET_BEFORE_DECISION)]}
    assert _codes(errors) == {"medical_target_date": "order"}
    assert referral_errors({"decision_date": DECISION, "medical_target_date": DECISION}) == {}


@pytest.mark.parametrize("missing", ["decision_date", "medical_target_date"])
def test_a_date_left_out_or_refused_is_not_judged(missing):
    values = {"decision_date": DECISION, "medical_target_date": DECISION - timedelta(days=1)}
    del values[missing]
    assert referral_errors(values) == {}


def test_an_interpreter_needs_a_language():
    errors = referral_errors({"needs_interpreter": True, "interpreter_language": ""})
    assert _messages(errors) == {"interpreter_language": [str(ERROR_INTERPRETER_LANGUAGE)]}
    assert _codes(errors) == {"interpreter_language": "required"}
    assert referral_errors({"needs_interpreter": True}) != {}  # a language refused on its own is none either
    assert referral_errors({"needs_interpreter": True, "interpreter_language": "arabiska"}) == {}
    assert referral_errors({"needs_interpreter": False, "interpreter_language": ""}) == {}


def test_the_decision_is_not_in_the_future():
    validate_decision_date(None)
    validate_decision_date(timezone.localdate())
    with pytest.raises(ValidationError) as raised:
        validate_decision_date(timezone.localdate() + timedelta(days=1))
    assert (raised.value.messages, raised.value.code) == ([str(ERROR_DECISION_IN_FUTURE)], "future")


def test_texts_leaving_care():
    errors = texts_leaving_care_errors({"note": "19121212-1212", "obstacle_category": "it", "obstacle_text": " "})
    assert _messages(errors) == {
        "obstacle_text": [str(ERROR_DESCRIBE_OBSTACLE)],
        "note": [str(ERROR_PERSONAL_NUMBER_IN_TEXT)],
    }
    named = {"note": "", "obstacle_category": "it", "obstacle_text": "Gäller 19121212-1212."}
    assert _messages(texts_leaving_care_errors(named)) == {"obstacle_text": [str(ERROR_PERSONAL_NUMBER_IN_TEXT)]}
    assert texts_leaving_care_errors(named, failed={"obstacle_text"}) == {}  # refused already, not judged again
    assert texts_leaving_care_errors({"note": "Ring först.", "obstacle_category": ""}) == {}


def test_the_model_applies_them_in_every_service(world):
    """A service called without a form (an import, the demo) is held to the same rules."""
    DiagnosisGroupFactory()
    fields = {
        "sending_unit": world.home_unit,
        "personal_number": "191212121212",
        "patient_name": "Tolvan Tolvansson",
        "home_region": world.home_region,
        "icd10_code": "M17.1",
        "priority": MedicalPriorityFactory(),
        "decision_date": timezone.localdate() - timedelta(days=5),
        "medical_target_date": timezone.localdate() - timedelta(days=6),
        "needs_interpreter": True,
    }
    with pytest.raises(ValidationError) as raised:
        services.referral_save(by=world.unit_staff, **fields)
    assert raised.value.message_dict["medical_target_date"][0] == str(ERROR_TARGET_BEFORE_DECISION)
    assert raised.value.message_dict["interpreter_language"] == [str(ERROR_INTERPRETER_LANGUAGE)]
    assert not Referral.objects.exists()
    fields.update(medical_target_date=None, interpreter_language="arabiska")
    assert services.referral_save(by=world.unit_staff, **fields).interpreter_language == "arabiska"
