"""Input fields that take JSON as the schema promises and say what the pages' forms say.

A value of the wrong JSON type is refused ("Wrong type of value.") rather than coerced: a number where
text belongs, an object where a number belongs. Every other message is the one the same field of the
page's form gives (Django's, in the caller's language), so the API and the pages speak alike.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import SkipField, empty, get_error_detail
from rest_framework.settings import api_settings

WRONG_TYPE = _("Wrong type of value.")
NOT_LISTED = _("Choose one of the listed values.")
SEND_OBJECT = _("Send a JSON object.")
REQUIRED = forms.Field.default_error_messages["required"]
INVALID_CHOICE = forms.ModelChoiceField.default_error_messages["invalid_choice"]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Text(serializers.CharField):
    """Text, stripped; required means not blank; at most `max_length` characters, as the form counts them."""

    default_error_messages = {"required": REQUIRED, "blank": REQUIRED, "invalid": WRONG_TYPE, "null": WRONG_TYPE}

    def __init__(self, *, required: bool = False, max_length: int | None = None, **kwargs: Any) -> None:
        validators = list(kwargs.pop("validators", []))
        if max_length is not None:
            validators.append(MaxLengthValidator(max_length))
        if not required:
            kwargs.setdefault("default", "")
        super().__init__(required=required, allow_blank=not required, validators=validators, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Integer(serializers.IntegerField):
    """A whole number between `min_value` and `max_value`."""

    default_error_messages = {"required": REQUIRED, "invalid": WRONG_TYPE, "null": WRONG_TYPE}

    def __init__(self, *, min_value: int, max_value: int, **kwargs: Any) -> None:
        super().__init__(validators=[MinValueValidator(min_value), MaxValueValidator(max_value)], **kwargs)

    def to_internal_value(self, data: Any) -> int:
        if not _is_int(data):
            self.fail("invalid")
        return data


class Boolean(serializers.BooleanField):
    """true or false; left out, false (an unticked checkbox)."""

    default_error_messages = {"invalid": WRONG_TYPE, "null": WRONG_TYPE}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class Date(serializers.DateField):
    """A date (2026-11-10), read as the form reads it."""

    default_error_messages = {"required": REQUIRED, "null": WRONG_TYPE, "wrong_type": WRONG_TYPE}

    def to_internal_value(self, value: Any) -> Any:  # a date, or None for "" where the date may be left out
        if not isinstance(value, str):
            self.fail("wrong_type")
        parsed = forms.DateField().to_python(value)  # the form's formats and its message
        if parsed is None and self.required:
            self.fail("required")
        return parsed


class Choice(serializers.ChoiceField):
    """One of the listed values, exactly (3, not "3")."""

    default_error_messages = {"required": REQUIRED, "null": NOT_LISTED, "invalid_choice": NOT_LISTED}

    def to_internal_value(self, data: Any) -> Any:
        if data == "" and self.allow_blank:
            return ""
        if not isinstance(data, str | int) or isinstance(data, bool) or data not in self.choices:
            self.fail("invalid_choice")
        return data


class ModelChoice(serializers.PrimaryKeyRelatedField[Model]):
    """A row by its id, among those the caller may choose (the queryset, narrowed by the serializer)."""

    default_error_messages = {
        "required": REQUIRED,
        "null": WRONG_TYPE,
        "incorrect_type": WRONG_TYPE,
        "does_not_exist": INVALID_CHOICE,
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices_among: QuerySet[Model] | None = None

    def among(self, choices: QuerySet[Model], *, one_by_default: bool = False) -> None:
        """Choose among `choices` only; with `one_by_default`, one choice may be left out and several may not."""
        self.choices_among = choices
        if one_by_default and len(choices) == 1:
            self.default = choices[0]
        elif one_by_default:
            self.required = True

    def get_queryset(self) -> QuerySet[Model] | None:
        return self.choices_among if self.choices_among is not None else super().get_queryset()

    def run_validation(self, data: Any = empty) -> Any:
        if data is not empty and data is not None and not _is_int(data):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().run_validation(data)


# A request body: a JSON object, each field judged on its own, then the rules that span fields on the
# fields that are valid (as a form's `clean`), so that every error is told at once. (A comment, not a
# docstring: the schema would show it as the description of every body.)
class Input(serializers.Serializer):
    def rules(self, values: dict[str, Any], failed: Collection[str]) -> dict[str, DjangoValidationError]:
        """Errors of the rules that span fields, by field; `failed` names the fields already refused."""
        return {}

    def run_validation(self, data: Any = empty) -> Any:
        if not isinstance(data, Mapping):
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(SEND_OBJECT)]}, code="invalid")
        return super().run_validation(data)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        values: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        for field in self._writable_fields:
            name = field.field_name or ""
            try:
                values[name] = self._validated(field, data)
            except ValidationError as exc:
                errors[name] = exc.detail
            except DjangoValidationError as exc:
                errors[name] = get_error_detail(exc)
            except SkipField:
                pass
        for name, error in self.rules(values, failed=set(errors)).items():
            errors[name] = [*errors.get(name, []), *get_error_detail(error)]
        if errors:
            raise ValidationError(errors)
        return values

    def _validated(self, field: serializers.Field, data: Mapping[str, Any]) -> Any:
        value = field.run_validation(field.get_value(data))
        validate = getattr(self, f"validate_{field.field_name}", None)
        return validate(value) if validate is not None else value
