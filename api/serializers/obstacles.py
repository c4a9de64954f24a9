"""Obstacles to cooperation as the API shows them, and the body that records one."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.fields import Choice, Input, ModelChoice, Text
from organisations.models import Region
from referrals.models import Obstacle, ObstacleCategory
from sot.personal_numbers import validate_no_personal_number


class ObstacleSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name")
    referral = serializers.CharField(source="referral.reference", allow_null=True, default=None)

    class Meta:
        model = Obstacle
        fields = ["id", "category", "text", "region", "referral", "source", "created_at"]
        read_only_fields = fields


class ObstacleInput(Input):
    """An obstacle to cooperation met in one of the caller's SOT regions."""

    # Context: `regions`, the caller's SOT regions.
    region = ModelChoice(
        queryset=Region.objects.none(), required=False, help_text=_("Region (id); may be left out for one region.")
    )
    category = Choice(choices=ObstacleCategory.choices)
    text = Text(required=True, validators=[validate_no_personal_number])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions: QuerySet[Region] | None = self.context.get("regions")
        if regions is not None:  # None: the schema
            cast(ModelChoice, self.fields["region"]).among(regions, one_by_default=True)
