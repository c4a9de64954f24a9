"""The body that files a request: the intake form's fields, judged as the form judges them, with the
rules that span fields from `referrals.rules` (the form and the model apply the same)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from api.serializers.fields import Boolean, Choice, Date, Input, ModelChoice, Text
from catalog.icd10 import lookup_icd10
from catalog.models import AsaClass, MedicalPriority
from organisations.models import Region, Unit
from referrals.models import Referral
from referrals.rules import referral_errors, validate_decision_date
from sot.personal_numbers import normalize_personal_number


def _length(name: str) -> int | None:
    """The request's own limit for a text field, as the page's model form takes it."""
    return cast(models.Field, Referral._meta.get_field(name)).max_length


class ReferralInput(Input):
    """A new request of one of the caller's units: a draft, or submitted at once."""

    # Context: `units`, the caller's units by name.
    sending_unit = ModelChoice(
        queryset=Unit.objects.none(), required=False, help_text=_("Sending unit (id); may be left out for one unit.")
    )
    personal_number = Text(
        required=True, max_length=20, help_text=_("10 or 12 digits, with or without - (or + for age 100 or more).")
    )
    patient_name = Text(required=True, max_length=200)
    home_region = ModelChoice(queryset=Region.objects.all(), required=False, help_text=_("Patient's home region (id)"))
    patient_phone = Text(max_length=40)
    icd10_code = Text(max_length=_length("icd10_code"), help_text=_("ICD-10-SE, e.g. M17.1."))
    procedure_code = Text(max_length=_length("procedure_code"))
    procedure_text = Text(max_length=_length("procedure_text"))
    priority = ModelChoice(
        queryset=MedicalPriority.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Medical priority (id)"),
    )
    asa_class = Choice(choices=AsaClass.choices, required=False, allow_null=True, default=None)
    asa_emergency = Boolean()
    complicating_diseases = Text()
    decision_date = Date(required=False, allow_null=True, default=None, validators=[validate_decision_date])
    medical_target_date = Date(required=False, allow_null=True, default=None)
    consent_referral = Boolean()
    consent_disclosure = Boolean()
    needs_interpreter = Boolean()
    interpreter_language = Text(max_length=_length("interpreter_language"))
    needs_transport = Boolean()
    needs_escort = Boolean()
    contact_name = Text(max_length=_length("contact_name"))
    contact_phone = Text(max_length=_length("contact_phone"))
    submit = Boolean(help_text=_("Submit to SOT at once instead of saving a draft."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units: QuerySet[Unit] | None = self.context.get("units")
        if units is not None:  # None: the schema
            cast(ModelChoice, self.fields["sending_unit"]).among(units, one_by_default=True)
            self.fields["home_region"].default = units[0].hospital.region

    def validate_personal_number(self, value: str) -> str:
        return normalize_personal_number(value)

    def validate_icd10_code(self, value: str) -> str:
        return lookup_icd10(value).code if value else ""

    def rules(self, values: dict[str, Any], failed: Collection[str]) -> dict[str, DjangoValidationError]:
        return referral_errors(values)
