"""The bodies of the lifecycle steps: each the page's form's fields, judged as the form judges them.
Context: `referral`, the request the step is taken on (for the units and offers it may name)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _

from api.serializers.fields import Boolean, Choice, Date, Input, ModelChoice, Text
from capacity.models import CapacityOffer, CareType
from capacity.selectors import offers_to_accept
from organisations.models import Unit
from referrals.models import CloseReason, DeclineReason, ObstacleCategory, WithdrawReason
from referrals.rules import texts_leaving_care_errors
from referrals.selectors import units_to_propose


class NoteInput(Input):
    note = Text(help_text=_("No personal data: the note is seen by everyone who handles the request."))


class ProposeInput(NoteInput):
    unit = ModelChoice(queryset=Unit.objects.none(), help_text=_("Receiving unit (id)"))
    reason = Text(max_length=300, help_text=_("Required when the unit has no matching free capacity in SOT."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "referral" in self.context:
            cast(ModelChoice, self.fields["unit"]).among(units_to_propose(self.context["referral"]))


class AcceptInput(NoteInput):
    offer = ModelChoice(
        queryset=CapacityOffer.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("One slot of the chosen week is reserved for the patient."),
    )
    planned_date = Date()
    care_form = Choice(
        choices=CareType.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("day_surgery or inpatient; required without an offer (an offer has its own)."),
    )
    confirm_late = Boolean(
        help_text=_(
            "true to accept a planned date after the medical target date or the care-guarantee deadline; "
            "left out, such a date is answered 400 with the warning under confirm_late."
        )
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "referral" in self.context:
            cast(ModelChoice, self.fields["offer"]).among(offers_to_accept(self.context["referral"]))

    def rules(self, values: dict[str, Any], failed: Collection[str]) -> dict[str, DjangoValidationError]:
        from referrals.services.acceptance import care_form_errors

        if "care_form" in failed or "offer" in failed:
            return {}
        errors = care_form_errors(values.get("care_form", ""), values.get("offer"), asked=True)
        return {"care_form": DjangoValidationError(errors)} if errors else {}


class DeclineInput(NoteInput):
    reason = Choice(choices=DeclineReason.choices)
    obstacle_category = Choice(choices=ObstacleCategory.choices, required=False, allow_blank=True, default="")
    obstacle_text = Text()

    def rules(self, values: dict[str, Any], failed: Collection[str]) -> dict[str, DjangoValidationError]:
        return texts_leaving_care_errors(values, failed=failed)


class CloseInput(DeclineInput):
    reason = Choice(choices=CloseReason.choices)


class WithdrawInput(NoteInput):
    reason = Choice(choices=WithdrawReason.choices)


class CompleteInput(Input):
    care_given_date = Date()
    confirm_early = Boolean(
        help_text=_(
            "true to record a date of care before the accepted planned date; left out, such a date is "
            "answered 400 with the warning under confirm_early."
        )
    )
