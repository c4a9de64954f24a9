"""Rules on a request's values that span fields, in one place: the intake form and the API's input apply
them (so that every error is shown at once), and the model's `clean` applies them again, so that every
service that validates a request does too. Each returns Django ValidationErrors by field name."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sot.personal_numbers import ERROR_PERSONAL_NUMBER_IN_TEXT, contains_personal_number

ERROR_DECISION_IN_FUTURE = _("The decision date cannot be in the future.")
ERROR_TARGET_BEFORE_DECISION = _("The medical target date cannot be before the decision date.")
ERROR_INTERPRETER_LANGUAGE = _("Say which language the interpreter is needed for.")
ERROR_DESCRIBE_OBSTACLE = _("Describe the obstacle.")
ERROR_OTHER_REASON_NOTE = _("Say in the note what the other reason is: the SOT representative acts on it.")
OTHER_REASON = "other"  # the value of "Annat skäl" in every reason list

# The fields `referral_errors` reads.
REFERRAL_RULE_FIELDS = ("decision_date", "medical_target_date", "needs_interpreter", "interpreter_language")


def validate_decision_date(value: date | None) -> None:
    """The decision to treat has been taken: it is not in the future."""
    if value and value > timezone.localdate():
        raise ValidationError(ERROR_DECISION_IN_FUTURE, code="future")


def referral_errors(values: Mapping[str, Any]) -> dict[str, ValidationError]:
    """The target date is not before the decision date; an interpreter's language is given.

    `values` holds what is known of the request; a field missing (or invalid on its own) is not judged.
    """
    errors = {}
    decision, target = values.get("decision_date"), values.get("medical_target_date")
    if decision and target and target < decision:
        errors["medical_target_date"] = ValidationError(ERROR_TARGET_BEFORE_DECISION, code="order")
    if values.get("needs_interpreter") and not values.get("interpreter_language"):
        errors["interpreter_language"] = ValidationError(ERROR_INTERPRETER_LANGUAGE, code="required")
    return errors


def texts_leaving_care_errors(values: Mapping[str, Any], *, failed: Collection[str] = ()) -> dict[str, ValidationError]:
    """A decline's or closing's texts: an obstacle raised is described, and neither the note nor the
    obstacle names a patient (they reach the other region and the monthly report). A field in `failed`
    already has an error of its own and is not judged again."""
    errors = {}
    if values.get("reason") == OTHER_REASON and not (values.get("note") or "").strip():
        errors["note"] = ValidationError(ERROR_OTHER_REASON_NOTE, code="required")
    if values.get("obstacle_category") and not (values.get("obstacle_text") or "").strip():
        errors["obstacle_text"] = ValidationError(ERROR_DESCRIBE_OBSTACLE)
    for name in ("note", "obstacle_text"):
        if name not in errors and name not in failed and contains_personal_number(values.get(name) or ""):
            errors[name] = ValidationError(ERROR_PERSONAL_NUMBER_IN_TEXT)
    return errors
