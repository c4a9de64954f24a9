"""Forms for filing a coordination request. Formats are forgiving, meaning is strict; errors are Swedish."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog.icd10 import Icd10Code, lookup_icd10
from catalog.models import DiagnosisGroup, MedicalPriority
from organisations.models import Region, Unit
from referrals.models import (
    CloseReason,
    DeclineReason,
    ObstacleCategory,
    Referral,
    WaitPause,
    WithdrawReason,
)
from referrals.services import DRAFT_FIELDS
from sot.forms import add_service_errors
from sot.personal_numbers import (
    ERROR_PERSONAL_NUMBER_IN_TEXT,
    contains_personal_number,
    format_personal_number,
    normalize_personal_number,
    validate_no_personal_number,
)

if TYPE_CHECKING:
    from accounts.models import User
    from capacity.models import CapacityOffer
    from referrals.models import Referral

ERROR_DECISION_IN_FUTURE = _("The decision date cannot be in the future.")
ERROR_TARGET_BEFORE_DECISION = _("The medical target date cannot be before the decision date.")
ERROR_INTERPRETER_LANGUAGE = _("Say which language the interpreter is needed for.")
DATE_PLACEHOLDER = "ÅÅÅÅ-MM-DD"
ICD10_DESCRIPTION = '<div id="icd10-description">{% include "referrals/_icd10.html" with icd10=form.icd10 %}</div>'
MAIN_FOCUS_HELP = _(
    "SOT main focus: high or medium-high priority and ASA III or higher. "
    "Other patients can be filed too; the SOT representative decides."
)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric", "autocomplete": "off"})


class ReferralForm(forms.ModelForm):
    """The whole request on one page, grouped as staff think of it. Used for new requests and drafts."""

    sending_unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Sending unit"))
    personal_number = forms.CharField(
        label=_("Personnummer or samordningsnummer"),
        max_length=20,
        help_text=_("10 or 12 digits, with or without - (or + for age 100 or more)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    patient_name = forms.CharField(label=_("Patient's name"), max_length=200)
    home_region = forms.ModelChoiceField(queryset=Region.objects.all(), label=_("Patient's home region"))
    patient_phone = forms.CharField(label=_("Patient's phone"), max_length=40, required=False)

    class Meta:
        model = Referral
        fields = DRAFT_FIELDS
        widgets = {
            "decision_date": _date_input(),
            "medical_target_date": _date_input(),
            "complicating_diseases": forms.Textarea(attrs={"rows": 3}),
            # The description and diagnosis group appear as soon as the code is typed (htmx, no inline script).
            "icd10_code": forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "placeholder": "M17.1",
                    "hx-get": reverse_lazy("referrals:icd10_lookup"),
                    "hx-trigger": "input changed delay:400ms, change",
                    "hx-target": "#icd10-description",
                    "hx-swap": "innerHTML",
                }
            ),
            "procedure_code": forms.TextInput(attrs={"placeholder": "NGB49"}),
        }
        help_texts = {
            "icd10_code": _("ICD-10-SE, e.g. M17.1. The diagnosis group follows from the code."),
            "asa_class": _("ASA physical status. Tick E as well for an emergency."),
            "medical_target_date": _("Leave empty to use the priority's maximum wait."),
            "decision_date": _("The decision to treat: the care-guarantee clock starts here."),
        }

    def __init__(self, *args: Any, units: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.icd10: Icd10Code | None = None
        cast(forms.ModelChoiceField, self.fields["sending_unit"]).queryset = units
        if len(units) == 1:
            self.fields["sending_unit"].initial = units[0]
            self.fields["sending_unit"].widget = forms.HiddenInput()
        first_unit = units[0]
        self.fields["home_region"].initial = first_unit.hospital.region_id
        if user is not None and not self.instance.pk:
            self.fields["contact_name"].initial = user.get_full_name()
        priority = cast(forms.ModelChoiceField, self.fields["priority"])
        priority.queryset = MedicalPriority.objects.filter(is_active=True)
        priority.empty_label = _("– choose –")
        asa_class = cast(forms.ChoiceField, self.fields["asa_class"])
        asa_choices = cast(list[tuple[Any, Any]], asa_class.choices)  # a ChoiceField keeps its choices as a list
        asa_class.widget.choices = [("", _("– choose –")), *asa_choices[1:]]
        if self.instance.pk:
            self.initial.update(
                sending_unit=self.instance.sending_unit_id,
                personal_number=format_personal_number(self.instance.patient.personal_number),
                patient_name=self.instance.patient_name,
                home_region=self.instance.patient_home_region_id,
                patient_phone=self.instance.patient_phone,
            )
            if self.instance.icd10_code:
                self.icd10 = _safe_lookup(self.instance.icd10_code)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "sending_unit",
            Fieldset(
                _("Patient"),
                Row(Column("personal_number", css_class="col-md-5"), Column("patient_name", css_class="col-md-7")),
                Row(Column("home_region", css_class="col-md-5"), Column("patient_phone", css_class="col-md-7")),
            ),
            Fieldset(
                _("Diagnosis and priority"),
                Row(
                    Column(
                        "icd10_code",
                        HTML(ICD10_DESCRIPTION),
                        css_class="col-md-4",
                    ),
                    Column("procedure_code", css_class="col-md-3"),
                    Column("procedure_text", css_class="col-md-5"),
                ),
                Row(
                    Column("priority", css_class="col-md-4"),
                    Column("asa_class", css_class="col-md-6"),
                    Column("asa_emergency", css_class="col-md-2 pt-md-4"),
                ),
                "complicating_diseases",
                HTML(format_html('<p class="form-text mt-0">{}</p>', MAIN_FOCUS_HELP)),
            ),
            Fieldset(
                _("Dates"),
                Row(Column("decision_date", css_class="col-md-6"), Column("medical_target_date", css_class="col-md-6")),
            ),
            Fieldset(
                _("Consent and needs"),
                "consent_referral",
                "consent_disclosure",
                Row(
                    Column("needs_interpreter", css_class="col-md-4"),
                    Column("needs_transport", css_class="col-md-4"),
                    Column("needs_escort", css_class="col-md-4"),
                ),
                "interpreter_language",
            ),
            Fieldset(
                _("Contact at the sending unit"),
                Row(Column("contact_name", css_class="col-md-7"), Column("contact_phone", css_class="col-md-5")),
            ),
        )

    def clean_personal_number(self) -> str:
        return normalize_personal_number(self.cleaned_data["personal_number"])

    def clean_icd10_code(self) -> str:
        value = self.cleaned_data.get("icd10_code", "")
        if not value:
            return ""
        self.icd10 = lookup_icd10(value)
        return self.icd10.code

    def clean_decision_date(self) -> Any:
        value = self.cleaned_data.get("decision_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(ERROR_DECISION_IN_FUTURE, code="future")
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what Django's clean() returns
        decision, target = cleaned.get("decision_date"), cleaned.get("medical_target_date")
        if decision and target and target < decision:
            self.add_error("medical_target_date", forms.ValidationError(ERROR_TARGET_BEFORE_DECISION, code="order"))
        if cleaned.get("needs_interpreter") and not cleaned.get("interpreter_language"):
            self.add_error("interpreter_language", forms.ValidationError(ERROR_INTERPRETER_LANGUAGE, code="required"))
        return cleaned

    def _post_clean(self) -> None:
        # The service validates the model once the patient and derived fields are in place.
        pass

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "sending_unit": data["sending_unit"],
            "personal_number": data["personal_number"],
            "patient_name": data["patient_name"],
            "home_region": data["home_region"],
            "patient_phone": data.get("patient_phone", ""),
            **{name: data.get(name) for name in DRAFT_FIELDS},
        }

    def add_service_errors(self, error: forms.ValidationError) -> None:
        """Put the service's field errors next to their fields (the diagnosis group belongs to the code)."""
        add_service_errors(self, error, aliases={"diagnosis_group": "icd10_code", "patient": "personal_number"})


def _safe_lookup(code: str) -> Icd10Code | None:
    try:
        return lookup_icd10(code)
    except forms.ValidationError:
        return None


class PatientDetailsForm(forms.Form):
    """The sending unit's record of the patient on one request (name, home region, phone)."""

    patient_name = forms.CharField(label=_("Patient's name"), max_length=200)
    home_region = forms.ModelChoiceField(queryset=Region.objects.all(), label=_("Patient's home region"))
    patient_phone = forms.CharField(label=_("Patient's phone"), max_length=40, required=False)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "patient_name": data["patient_name"],
            "patient_phone": data.get("patient_phone", ""),
            "patient_home_region": data["home_region"],
        }


class WithdrawForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("– choose –")), *WithdrawReason.choices])
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No personal data: the note is seen by everyone who handles the request."),
    )


class WaitPauseForm(forms.ModelForm):
    class Meta:
        model = WaitPause
        fields = ["kind", "start_date", "end_date", "note"]
        widgets = {"start_date": _date_input(), "end_date": _date_input()}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what Django's clean() returns
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The pause cannot end before it starts."))
        return cleaned

    def _post_clean(self) -> None:
        pass  # the service validates the pause against its request


ERROR_DESCRIBE_OBSTACLE = _("Describe the obstacle.")
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
        cleaned = self.cleaned_data  # what Django's clean() returns
        if cleaned.get("obstacle_category") and not cleaned.get("obstacle_text", "").strip():
            self.add_error("obstacle_text", ERROR_DESCRIBE_OBSTACLE)
        # Both texts leave the patient's care (the service checks again): say so at once, for each field.
        for name in ("note", "obstacle_text"):
            if name not in self.errors and contains_personal_number(cleaned.get(name, "")):
                self.add_error(name, ERROR_PERSONAL_NUMBER_IN_TEXT)
        return cleaned


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
        unit.queryset = (
            Unit.objects.filter(is_active=True)
            .exclude(hospital__region_id=referral.sending_unit.hospital.region_id)
            .select_related("hospital__region")
            .order_by("hospital__region__name", "hospital__name", "name")
        )
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
    planned_date = forms.DateField(label=_("Planned date of care"), widget=_date_input())

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
    care_given_date = forms.DateField(label=_("Date care was given"), widget=_date_input())


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
