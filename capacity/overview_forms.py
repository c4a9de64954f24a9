"""The filters of the capacity overview (GET): a region among the others, a diagnosis group.

Plain choice fields over lists the view has read once, so that validating and rendering the filters
asks the database nothing more."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.overview import Week
from catalog.models import DiagnosisGroup
from organisations.models import Region

ERROR_CHOOSE_FROM_LIST = _("Choose one of the alternatives in the list.")


class OverviewFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)
    diagnosis_group = forms.ChoiceField(label=_("Diagnosis group"), required=False)

    def __init__(self, *args: Any, regions: list[Region], groups: list[DiagnosisGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._regions = {str(region.pk): region for region in regions}
        self._groups = {str(group.pk): group for group in groups if group.is_active}
        region_field = cast(forms.ChoiceField, self.fields["region"])
        group_field = cast(forms.ChoiceField, self.fields["diagnosis_group"])
        region_field.choices = [("", _("All other regions"))] + [
            (pk, f"{region.name} ({region.healthcare_region.name})") for pk, region in self._regions.items()
        ]
        group_field.choices = [("", _("All diagnosis groups"))] + [
            (pk, group.name) for pk, group in self._groups.items()
        ]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = ERROR_CHOOSE_FROM_LIST
            field.widget.attrs.setdefault("class", "form-select")

    def clean_region(self) -> Region | None:
        return self._regions.get(self.cleaned_data["region"])

    def clean_diagnosis_group(self) -> DiagnosisGroup | None:
        return self._groups.get(self.cleaned_data["diagnosis_group"])


class CellForm(OverviewFilterForm):
    """One cell of the overview (GET): a diagnosis group and a week shown, and the overview's region filter."""

    week = forms.ChoiceField(label=_("Week"))

    def __init__(self, *args: Any, weeks: list[Week], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An offer may outlive its group's retirement: a cell of an inactive group opens too.
        self._groups = {str(group.pk): group for group in kwargs["groups"]}
        group_field = cast(forms.ChoiceField, self.fields["diagnosis_group"])
        group_field.required = True
        group_field.choices = [(pk, group.name) for pk, group in self._groups.items()]
        week_field = cast(forms.ChoiceField, self.fields["week"])
        week_field.choices = [(week.monday.isoformat(), week.label) for week in weeks]
        self._weeks = {week.monday.isoformat(): week for week in weeks}
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = ERROR_CHOOSE_FROM_LIST
            field.error_messages["required"] = ERROR_CHOOSE_FROM_LIST

    def clean_week(self) -> Week:
        return self._weeks[self.cleaned_data["week"]]
