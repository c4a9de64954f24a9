from __future__ import annotations

from datetime import date
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.models import CareType
from capacity.weeks import format_week, monday_of, parse_week
from catalog.models import AsaClass, DiagnosisGroup
from organisations.models import Unit


class WeekField(forms.CharField):
    """A week typed as people write it (v. 48 2026, v 48, vecka 48, 2026-W48); cleaned to its Monday.

    The field shows its week the way the pages do ("v. 48 2026"), and reads that back.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "v. 48 2026", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return parse_week(value) if value else None

    def prepare_value(self, value: Any) -> Any:
        return format_week(value) if hasattr(value, "isocalendar") else value


class CapacityOfferForm(forms.Form):
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(queryset=None, label=_("Unit"))
    diagnosis_group = forms.ModelChoiceField(
        queryset=DiagnosisGroup.objects.filter(is_active=True), label=_("Diagnosis group")
    )
    first_week = WeekField(label=_("First week"))
    last_week = WeekField(
        label=_("Last week"), required=False, help_text=_("Leave empty for one week. One offer is made per week.")
    )
    slots = forms.IntegerField(label=_("Slots per week"), min_value=1, max_value=500)
    max_asa = forms.TypedChoiceField(
        label=_("Highest ASA class"),
        choices=AsaClass.choices,
        coerce=int,
        initial=AsaClass.III,
        help_text=_("A unit without intensive care usually takes up to ASA III."),
    )
    care_type = forms.ChoiceField(label=_("Care type"), choices=CareType.choices, initial=CareType.INPATIENT)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, units: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        if len(units) == 1:
            self.fields["unit"].initial = units[0]
            self.fields["unit"].widget = forms.HiddenInput()
        self.fields["first_week"].initial = monday_of(today)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "unit",
            "diagnosis_group",
            Row(Column("first_week", css_class="col-md-6"), Column("last_week", css_class="col-md-6")),
            Row(
                Column("slots", css_class="col-md-3"),
                Column("max_asa", css_class="col-md-5"),
                Column("care_type", css_class="col-md-4"),
            ),
            "note",
        )


class SlotsForm(forms.Form):
    slots = forms.IntegerField(label=_("Slots"), min_value=1, max_value=500)
