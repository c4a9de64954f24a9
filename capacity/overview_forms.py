"""The filters of the capacity overview (GET): a region among the others, a diagnosis group."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import DiagnosisGroup
from organisations.models import Region


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.healthcare_region.name})"


class OverviewFilterForm(forms.Form):
    region = RegionChoiceField(
        queryset=Region.objects.none(), label=_("Region"), required=False, empty_label=_("All other regions")
    )
    diagnosis_group = forms.ModelChoiceField(
        queryset=DiagnosisGroup.objects.filter(is_active=True).order_by("sort_order", "name"),
        label=_("Diagnosis group"),
        required=False,
        empty_label=_("All diagnosis groups"),
    )

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = cast(RegionChoiceField, self.fields["region"])
        region_field.queryset = (
            Region.objects.filter(pk__in=[r.pk for r in regions])
            .select_related("healthcare_region")
            .order_by("healthcare_region__name", "name")
        )
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select")
