"""Forms of the workflow steps: each a small confirmation, its rules shared with the API where it has any."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.models import CareType
from catalog.models import DiagnosisGroup
from organisations.models import Region, Unit
from referrals.forms.widgets import date_input
from referrals.models import CloseReason, DeclineReason, ObstacleCategory, WithdrawReason
from referrals.rules import texts_leaving_care_errors
from referrals.selectors import units_to_propose
from sot.forms import WarningsMixin
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


class UnitChoiceForm(forms.Form):
    """The chooser's "another unit": with a written reason it proposes the unit at once; without one the
    next page shows the unit and says whether it needs a reason and why."""

    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Receiving unit"), empty_label=_("– choose –"))
    reason = forms.CharField(
        label=_("Why this unit"),
        required=False,
        max_length=300,
        help_text=_(
            "Needed for a unit outside the ranking or one that declined before. With a reason the unit is "
            "proposed at once; without one you see the unit on the next page first."
        ),
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.queryset = units_to_propose(referral)
        unit.label_from_instance = lambda u: f"{u.hospital.region.name} – {u}"  # type: ignore[method-assign,assignment]


class ProposeForm(NoteForm):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Receiving unit"), empty_label=_("– choose –"))
    reason = forms.CharField(
        label=_("Why this unit"),
        required=False,
        max_length=300,
        help_text=_("Required when the unit has no matching free capacity in SOT or declined the request before."),
    )

    def __init__(
        self, *args: Any, referral: Referral, chosen: bool = False, reason_required: str = "", **kwargs: Any
    ) -> None:
        """`chosen`: the unit was chosen on the page before (a hidden field); `reason_required`: why the
        service will ask for a reason (the unit is outside the ranking), so the field is required, with it."""
        super().__init__(*args, **kwargs)
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.queryset = units_to_propose(referral)
        # A label for this form only; the stubs type label_from_instance as a method, not an attribute.
        unit.label_from_instance = lambda u: f"{u.hospital.region.name} – {u}"  # type: ignore[method-assign,assignment]
        if chosen:
            unit.widget = forms.HiddenInput()
        if reason_required:  # the page says why above the form, once
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = reason_required
            self.fields["reason"].help_text = ""
        elif chosen:  # a ranked unit: a reason is welcome, never asked for
            self.fields["reason"].help_text = _("Optional.")
        self.order_fields(["unit", "reason", "note"])


class ContactForm(forms.Form):
    sending_person = forms.CharField(label=_("Who at the sending unit"), max_length=120)
    receiving_person = forms.CharField(label=_("Who at the receiving unit"), max_length=120)
    contacted_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"placeholder": "ÅÅÅÅ-MM-DD TT:MM", "autocomplete": "off"}),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class OfferSelect(forms.Select):
    """The capacity weeks, each option carrying its Monday, so that static/sot/forms.js keeps the planned
    date and the week in step (choosing one fills the other)."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-week-start"] = instance.week_start.isoformat()
        return option


LATE_CONFIRMATIONS = {
    (True, False): _("I confirm that the date is after the medical target date"),
    (False, True): _("I confirm that the date is after the care-guarantee deadline"),
    (True, True): _("I confirm that the date is after the medical target date and the care-guarantee deadline"),
}


class AcceptForm(WarningsMixin, NoteForm):
    offer: forms.ModelChoiceField[CapacityOffer] = forms.ModelChoiceField(
        queryset=None,
        label=_("Capacity"),
        required=False,
        empty_label=_("Outside published capacity"),
        help_text=_("One slot of the chosen week is reserved for the patient."),
        widget=OfferSelect(attrs={"data-week-sync": "offer"}),
    )
    planned_date = forms.DateField(
        label=_("Planned date of care"),
        widget=date_input(),
        help_text=_("Not in the past. Choosing a week fills in its first day; typing a date chooses its week."),
    )
    care_form = forms.ChoiceField(
        label=_("Care form"),
        choices=[("", _("As the chosen capacity")), *CareType.choices],
        required=False,
        help_text=_("Sets the cost price between the regions. Required outside published capacity."),
    )
    # Shown, with the warning, only when the planned date misses the target date or the deadline.
    confirm_late = forms.BooleanField(label=_("I confirm the date"), required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, offers: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referral = referral
        offer = cast(forms.ModelChoiceField, self.fields["offer"])
        offer.queryset = offers
        offer.label_from_instance = _offer_label  # type: ignore[method-assign,assignment]  # as for ProposeForm
        if offers:
            self.fields["offer"].initial = offers[0]
            # The unit's usual care form for this group, when all its offers have the same one: an acceptance
            # outside published capacity starts from it (shown, and changeable) instead of from nothing.
            care_types = {o.care_type for o in offers}
            if len(care_types) == 1:
                self.fields["care_form"].initial = care_types.pop()
        self.fields["planned_date"].widget.attrs["data-week-sync"] = "date"
        self.order_fields(["offer", "care_form", "planned_date", "note", "confirm_late"])

    def clean(self) -> dict[str, Any]:
        from django.utils import timezone

        from referrals.services.acceptance import (
            ERROR_PLANNED_DATE_OUTSIDE_WEEK,
            care_form_errors,
            planned_date_errors,
            planned_date_warnings,
        )

        super().clean()
        planned, offer = self.cleaned_data.get("planned_date"), self.cleaned_data.get("offer")
        if "offer" not in self.errors:
            for problem in care_form_errors(self.cleaned_data.get("care_form", ""), offer, asked=True):
                self.add_error("care_form", problem)
        if planned is None:
            return self.cleaned_data
        # Every problem of the date at once (the service judges again): the week, the past, the submission.
        problems = planned_date_errors(self.referral, planned, today=timezone.localdate())
        if offer is not None and not offer.week_start <= planned <= offer.week_start + timedelta(days=6):
            problems.append(str(ERROR_PLANNED_DATE_OUTSIDE_WEEK))
        for problem in problems:
            self.add_error("planned_date", problem)
        warnings = planned_date_warnings(self.referral, planned)
        if warnings and not problems:
            target = self.referral.medical_target_date
            deadline = self.referral.care_guarantee_deadline
            late = (bool(target and planned > target), bool(deadline and planned > deadline))
            self.warn("confirm_late", warnings, label=LATE_CONFIRMATIONS[late])
        return self.cleaned_data

    def service_kwargs(self) -> dict[str, Any]:
        """What the service is given: the confirmation was asked for (the person saw the checkbox if needed)."""
        data = {name: self.cleaned_data[name] for name in ("offer", "planned_date", "note", "care_form")}
        data["confirm_late"] = bool(self.cleaned_data.get("confirm_late"))
        return data


class PhoneAcceptForm(AcceptForm):
    given_by = forms.CharField(
        label=_("Who at the receiving unit accepted"),
        max_length=120,
        help_text=_("The name of the person who gave the acceptance on the phone (a work role, no private number)."),
        validators=[validate_no_personal_number],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["given_by", "offer", "care_form", "planned_date", "note", "confirm_late"])

    def service_kwargs(self) -> dict[str, Any]:
        return {**super().service_kwargs(), "given_by": self.cleaned_data["given_by"]}


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


class CompleteForm(WarningsMixin, forms.Form):
    care_given_date = forms.DateField(
        label=_("Date care was given"), widget=date_input(), help_text=_("Today or earlier.")
    )
    # Shown, with the warning, only when the date is before the accepted planned date.
    confirm_early = forms.BooleanField(label=_("I confirm the date"), required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referral = referral

    def clean(self) -> dict[str, Any]:
        from django.utils import timezone

        from referrals.services.workflow import care_given_date_errors, care_given_date_warnings

        super().clean()
        day = self.cleaned_data.get("care_given_date")
        if day is None:
            return self.cleaned_data
        problems = care_given_date_errors(day, today=timezone.localdate())
        for problem in problems:
            self.add_error("care_given_date", problem)
        warnings = care_given_date_warnings(self.referral, day)
        if warnings and not problems:
            self.warn("confirm_early", warnings, label=_("I confirm that care was given before the planned date"))
        return self.cleaned_data

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "care_given_date": self.cleaned_data["care_given_date"],
            "confirm_early": bool(self.cleaned_data.get("confirm_early")),
        }


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
