"""The action-plan forms. Texts go into the monthly report: no personal numbers."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.models import ActionPlan, ActionPlanStatus
from organisations.models import HealthcareRegion, Region
from referrals.forms.widgets import date_input
from referrals.models import ObstacleCategory
from sot.personal_numbers import validate_no_personal_number

NO_PERSONAL_DATA = _("No personal data: the text goes into the monthly report.")


class ActionPlanContentForm(forms.ModelForm):
    category = forms.ChoiceField(
        label=_("Obstacle category"), choices=[("", _("– choose –")), *ObstacleCategory.choices]
    )

    class Meta:
        model = ActionPlan
        fields = ["category", "title", "activities", "owner_function", "follow_up_method", "indicator", "target_value"]
        widgets = {
            "activities": forms.Textarea(attrs={"rows": 4}),
            "follow_up_method": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "activities": _("How the work is done, its timetable and who it is done with."),
            "follow_up_method": _("How progress is followed up."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].validators.append(validate_no_personal_number)


class ActionPlanCreateForm(ActionPlanContentForm):
    place = forms.ChoiceField(label=_("Region or healthcare region"))
    status = forms.ChoiceField(label=_("Status"), choices=ActionPlanStatus.choices, initial=ActionPlanStatus.GREEN)
    status_date = forms.DateField(label=_("Status date"), widget=date_input(), help_text=_("Today or earlier."))
    status_comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=NO_PERSONAL_DATA,
        validators=[validate_no_personal_number],
    )

    field_order = ["place", *ActionPlanContentForm.Meta.fields, "status", "status_date", "status_comment"]

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["place"]).choices = places
        self.fields["status_date"].initial = timezone.localdate()

    def place_kwargs(self) -> dict[str, Any]:
        kind, _sep, pk = self.cleaned_data["place"].partition(":")
        if kind == "healthcare_region":
            return {"healthcare_region": HealthcareRegion.objects.get(pk=pk)}
        return {"region": Region.objects.get(pk=pk)}


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionPlanStatus.choices)
    status_date = forms.DateField(label=_("Status date"), widget=date_input(), help_text=_("Today or earlier."))
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_PERSONAL_DATA,
        validators=[validate_no_personal_number],
    )

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = plan.status
        self.fields["status_date"].initial = timezone.localdate()
