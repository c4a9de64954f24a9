"""What to plan (GET) and what to apply (POST): a diagnosis group, optionally a priority, hospital or unit of
the region, and for applying the chosen assignments as "request id:offer id"."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import DiagnosisGroup, MedicalPriority
from organisations.models import Hospital, Region, Unit
from planning.data import Scope


class PlanForm(forms.Form):
    group = forms.ModelChoiceField(queryset=DiagnosisGroup.objects.filter(is_active=True), label=_("Diagnosis group"))
    priority = forms.ModelChoiceField(
        queryset=MedicalPriority.objects.all(), label=_("Medical priority"), required=False, empty_label=_("All")
    )
    hospital = forms.ModelChoiceField(
        queryset=Hospital.objects.none(), label=_("Sending hospital"), required=False, empty_label=_("All")
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=_("Sending unit"), required=False, empty_label=_("All")
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        cast(forms.ModelChoiceField, self.fields["hospital"]).queryset = Hospital.objects.filter(region=region)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = Unit.objects.filter(
            hospital__region=region
        ).select_related("hospital")
        cast(forms.ModelChoiceField, self.fields["group"]).empty_label = _("– choose –")
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select")

    def scope(self) -> Scope:
        data = self.cleaned_data
        return Scope(
            region=self.region,
            group=data["group"],
            priority=data.get("priority"),
            hospital=data.get("hospital"),
            unit=data.get("unit"),
        )


def chosen_assignments(values: list[str]) -> list[tuple[int, int]]:
    """The ticked assignments, "request id:offer id"; anything else is ignored."""
    chosen = []
    for value in values:
        request_id, _sep, offer_id = value.partition(":")
        if request_id.isdigit() and offer_id.isdigit():
            chosen.append((int(request_id), int(offer_id)))
    return chosen
