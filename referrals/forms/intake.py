"""Forms for filing a coordination request. Formats are forgiving, meaning is strict; errors are Swedish."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog.icd10 import Icd10Code, lookup_icd10
from catalog.models import MedicalPriority
from organisations.models import Region, Unit
from referrals.forms.widgets import date_input
from referrals.models import Referral, WaitPause
from referrals.rules import referral_errors, validate_decision_date
from referrals.services import DRAFT_FIELDS, MISSING_FOR_SUBMISSION
from sot.forms import add_service_errors
from sot.personal_numbers import format_personal_number, normalize_personal_number

if TYPE_CHECKING:
    from accounts.models import User

ICD10_DESCRIPTION = '<div id="icd10-description">{% include "referrals/_icd10.html" with icd10=form.icd10 %}</div>'
MAIN_FOCUS_HELP = _(
    "SOT main focus: high or medium-high priority and ASA III or higher. "
    "Other patients can be filed too; the SOT representative decides."
)


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
            "decision_date": date_input(),
            "medical_target_date": date_input(),
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
            "max_travel_km": forms.NumberInput(attrs={"min": 1, "step": 1, "inputmode": "numeric"}),
        }
        help_texts = {
            "icd10_code": _("ICD-10-SE, e.g. M17.1. The diagnosis group follows from the code."),
            "asa_class": _("ASA physical status. Tick E as well for an emergency."),
            "medical_target_date": _("Leave empty to use the priority's maximum wait."),
            "decision_date": _("The decision to treat: the care-guarantee clock starts here."),
        }

    def __init__(self, *args: Any, units: Any, user: User | None = None, submit: bool = False, **kwargs: Any) -> None:
        """`submit`: the form is sent to be submitted, so what submission needs is said with the rest."""
        super().__init__(*args, **kwargs)
        self.submit = submit
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
        self.helper.layout = _referral_layout()

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
        validate_decision_date(value)
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        for name, error in referral_errors(self.cleaned_data).items():  # the API's input applies them too
            self.add_error(name, error)
        if self.submit:
            # Every error in one round: what submission lacks (the consents among it) is said together with
            # the field errors, not only once they are fixed. The service checks again when it submits.
            for name, message in self._missing_for_submission().items():
                self.add_error(name, message)
        return self.cleaned_data

    def _missing_for_submission(self) -> dict[str, str]:
        data = self.cleaned_data
        missing = {}
        for name, message in MISSING_FOR_SUBMISSION.items():
            if name in self.errors or name not in self.fields:
                continue  # already said, or derived (the group follows from the code: the service says it)
            if name == "medical_target_date" and (data.get("priority") or "priority" in self.errors):
                continue  # defaults from the priority's maximum wait
            if not data.get(name):
                missing[name] = str(message)
        return missing

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


def _referral_layout() -> Layout:
    """The request as staff think of it: patient, diagnosis and priority, dates, consent and needs, contact."""
    return Layout(
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
            Row(Column("max_travel_km", css_class="col-md-4")),
        ),
        Fieldset(
            _("Contact at the sending unit"),
            Row(Column("contact_name", css_class="col-md-7"), Column("contact_phone", css_class="col-md-5")),
        ),
    )


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


class WaitPauseForm(forms.ModelForm):
    class Meta:
        model = WaitPause
        fields = ["kind", "start_date", "end_date", "note"]
        widgets = {"start_date": date_input(), "end_date": date_input()}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what Django's clean() returns
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The pause cannot end before it starts."))
        return cleaned

    def _post_clean(self) -> None:
        pass  # the service validates the pause against its request
