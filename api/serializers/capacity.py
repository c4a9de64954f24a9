"""Capacity offers as the API shows them, and the bodies that publish them and change their slots."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.fields import Choice, Input, Integer, ModelChoice, Text
from capacity.models import CapacityOffer, CareType
from capacity.weeks import parse_week
from catalog.models import AsaClass, DiagnosisGroup
from organisations.models import Unit


class CapacityOfferSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.__str__")
    diagnosis_group = serializers.CharField(source="diagnosis_group.name")
    week = serializers.CharField(source="week_iso")
    free_slots = serializers.IntegerField()

    class Meta:
        model = CapacityOffer
        fields = ["id", "unit", "diagnosis_group", "week", "week_start", "slots", "reserved_slots", "free_slots",
                  "max_asa", "care_type", "note", "confirmed_at"]  # fmt: skip
        read_only_fields = fields


class Week(Text):
    """A week typed as 2026-W48 (or v. 48 2026, v 48, 2026 48), as the page's week field reads it; its Monday."""

    def to_internal_value(self, data: Any) -> Any:
        return parse_week(super().to_internal_value(data))


class CapacityOfferInput(Input):
    """Capacity of one of the caller's receiving units: one offer per ISO week, from the first week to the last."""

    # Context: `units`, the caller's receiving units.
    unit = ModelChoice(
        queryset=Unit.objects.none(), required=False, help_text=_("Unit (id); may be left out for one unit.")
    )
    diagnosis_group = ModelChoice(queryset=DiagnosisGroup.objects.filter(is_active=True))
    first_week = Week(required=True, help_text="2026-W48")
    last_week = Week()
    slots = Integer(min_value=1, max_value=500)
    max_asa = Choice(choices=AsaClass.choices)
    care_type = Choice(choices=CareType.choices)
    note = Text(max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units: QuerySet[Unit] | None = self.context.get("units")
        if units is not None:  # None: the schema
            cast(ModelChoice, self.fields["unit"]).among(units, one_by_default=True)

    def validate_last_week(self, value: Any) -> Any:
        return value or None  # left out: one week


class SlotsInput(Input):
    slots = Integer(min_value=1, max_value=500)
