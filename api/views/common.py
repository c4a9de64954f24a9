"""What the API views share: a request as its detail shows it, a body validated by its input serializer,
a service's refusal as a problem, and the answer of a step."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.settings import api_settings

from api.problems import Conflict
from api.serializers.fields import Input
from referrals.models import Referral
from referrals.selectors import referrals_visible_to
from referrals.services import TransitionNotAllowed

if TYPE_CHECKING:
    from accounts.models import User

T = TypeVar("T")


def detail_queryset(user: User) -> QuerySet[Referral]:
    """The requests the user sees, with what their detail shows."""
    return (
        referrals_visible_to(user)
        .select_related(
            "patient",
            "patient_home_region",
            "priority",
            "diagnosis_group",
            "sending_unit__hospital__region",
            "receiving_unit__hospital__region",
        )
        .prefetch_related("pauses")
    )


def validated(body: type[Input], request: Request, **context: Any) -> dict[str, Any]:
    """The request body as its input serializer validates it; a 400 with every field's messages otherwise."""
    serializer = body(data=request.data, context=context)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def run_service(
    call: Callable[[], T], *, fields: Collection[str] | None = None, aliases: dict[str, str] | None = None
) -> T:
    """Run a service: its ValidationError is a 400 with field messages, a refused step a 409.

    With `fields` (the body's), a message of another field goes to its alias or to the whole body, as
    the page's form shows it; without, the service's fields are kept as they are.
    """
    try:
        return call()
    except DjangoValidationError as exc:
        errors = _body_errors(exc, fields, aliases or {}) if fields is not None else _service_errors(exc)
        raise exceptions.ValidationError(errors) from None
    except TransitionNotAllowed as exc:
        raise Conflict(exc.message) from None


def _service_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


def _body_errors(exc: DjangoValidationError, fields: Collection[str], aliases: dict[str, str]) -> dict[str, list[str]]:
    if not hasattr(exc, "error_dict"):
        return {NON_FIELD_ERRORS: exc.messages}
    errors: dict[str, list[str]] = {}
    for field, messages in exc.message_dict.items():
        target = aliases.get(field, field)
        errors.setdefault(target if target in fields else NON_FIELD_ERRORS, []).extend(messages)
    return errors
