"""Forms of the workflow steps: each a small confirmation, its rules shared with the API where it has any."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import DiagnosisGroup
from organisations.models import Region, Unit
from referrals.forms.widgets import date_input
from referrals.models import CloseReason, DeclineReason, ObstacleCategory, WithdrawReason
from referrals.rules import texts_leaving_care_errors
from referrals.selectors import units_to_propose
from sot.personal_numbers import validate_no_personal_number

if TYPE_CHECKING:
    from capacity.models import CapacityOffer
    from referrals.models import Referral


class WithdrawForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("– choose –")), *WithdrawReason.choices])
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No personal data: the note is seen by everyone who handles the request."),
    )


OBSTACLE_HELP = _("Raise an obstacle to cooperation if something beyond this patient stands in the way.")


class _ObstacleFields(forms.Form):
    obstacle_category = forms.ChoiceField(
        label=_("Obstacle to cooperation"),
        required=False,
        choices=[("", _("– none –")), *ObstacleCategory.choices],
        help_text=OBSTACLE_HELP,
    )
    obstacle_text = forms.CharField(
        label=_("Describe the obstacle"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("No personal data: the text goes into the monthly report."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        # Both texts leave the patient's care (the service checks again): said at once, for each field.
        for name, error in texts_leaving_care_errors(self.cleaned_data, failed=self.errors).items():
            self.add_error(name, error)
        return self.cleaned_data


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("No personal data: the note is seen by everyone who handles the request."),
    )


class ProposeForm(NoteForm):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Receiving unit"))
    reason = forms.CharField(
        label=_("Why this unit"),
        required=False,
        max_length=300,
        help_text=_("Required when the unit has no matching free capacity in SOT."),
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.queryset = units_to_propose(referral)
        # A label for this form only; the stubs type label_from_instance as a method, not an attribute.
        unit.label_from_instance = lambda u: f"{u.hospital.region.name} – {u}"  # type: ignore[method-assign,assignment]
        self.order_fields(["unit", "reason", "note"])


class ContactForm(forms.Form):
    sending_person = forms.CharField(label=_("Who at the sending unit"), max_length=120)
    receiving_person = forms.CharField(label=_("Who at the receiving unit"), max_length=120)
    contacted_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"placeholder": "ÅÅÅÅ-MM-DD TT:MM", "autocomplete": "off"}),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AcceptForm(NoteForm):
    offer: forms.ModelChoiceField[CapacityOffer] = forms.ModelChoiceField(
        queryset=None,
        label=_("Capacity"),
        required=False,
        empty_label=_("Outside published capacity"),
        help_text=_("One slot of the chosen week is reserved for the patient."),
    )
    planned_date = forms.DateField(label=_("Planned date of care"), widget=date_input())

    def __init__(self, *args: Any, offers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer = cast(forms.ModelChoiceField, self.fields["offer"])
        offer.queryset = offers
        offer.label_from_instance = _offer_label  # type: ignore[method-assign,assignment]  # as for ProposeForm
        if offers:
            self.fields["offer"].initial = offers[0]
        self.order_fields(["offer", "planned_date", "note"])


def _offer_label(offer: CapacityOffer) -> str:
    return _("Week %(week)s (from %(monday)s), %(care_type)s, %(free)s free of %(slots)s") % {
        "week": offer.week_label,
        "monday": offer.week_start.isoformat(),
        "care_type": offer.get_care_type_display().lower(),
        "free": offer.free_slots,
        "slots": offer.slots,
    }


class DeclineForm(_ObstacleFields, NoteForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("– choose –")), *DeclineReason.choices])

    field_order = ["reason", "note", "obstacle_category", "obstacle_text"]


class CloseForm(_ObstacleFields, NoteForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("– choose –")), *CloseReason.choices])

    field_order = ["reason", "note", "obstacle_category", "obstacle_text"]


class CompleteForm(forms.Form):
    care_given_date = forms.DateField(label=_("Date care was given"), widget=date_input())


class ObstacleForm(forms.Form):
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("Region"))
    category = forms.ChoiceField(label=_("Category"), choices=[("", _("– choose –")), *ObstacleCategory.choices])
    text = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("No personal data: the text goes into the monthly report."),
        validators=[validate_no_personal_number],
    )

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = regions
        if len(regions) == 1:
            self.fields["region"].initial = regions[0]
            self.fields["region"].widget = forms.HiddenInput()


class GroupCorrectionForm(NoteForm):
    diagnosis_group = forms.ModelChoiceField(
        queryset=DiagnosisGroup.objects.filter(is_active=True), label=_("Diagnosis group")
    )

    field_order = ["diagnosis_group", "note"]
