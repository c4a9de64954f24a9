"""What the API shows and accepts. Input is validated by the same Django forms as the pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from capacity.models import CapacityOffer, CareType
from catalog.models import AsaClass
from referrals.models import (
    CloseReason,
    DeclineReason,
    Obstacle,
    ObstacleCategory,
    Referral,
    ReferralStatus,
    WithdrawReason,
)
from referrals.selectors import wait_status_of
from reports.models import MonthlyReport
from sot.personal_numbers import format_personal_number, mask_personal_number

if TYPE_CHECKING:
    from referrals.models import Referral


class PatientSerializer(serializers.Serializer):
    """The sending care provider's record of the patient, as the request holds it."""

    personal_number = serializers.SerializerMethodField(help_text=_("Personnummer or samordningsnummer, 12 digits."))
    name = serializers.CharField(source="patient_name", help_text=_("Patient's name"))
    home_region = serializers.CharField(source="patient_home_region.name")
    phone = serializers.CharField(source="patient_phone")

    def get_personal_number(self, referral: Referral) -> str:
        return format_personal_number(referral.patient.personal_number)


class ReferralSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=ReferralStatus.choices, help_text=_("Status"))
    status_label = serializers.CharField(source="get_status_display")
    patient: serializers.Serializer = PatientSerializer(source="*")
    sending_unit = serializers.CharField(source="sending_unit.__str__")
    receiving_unit = serializers.SerializerMethodField()
    diagnosis_group = serializers.SerializerMethodField()
    priority = serializers.SerializerMethodField()
    asa_class = serializers.ChoiceField(choices=AsaClass.choices, allow_null=True)
    is_main_focus = serializers.BooleanField(help_text=_("SOT main focus"))
    days_waited = serializers.SerializerMethodField()
    days_to_deadline = serializers.SerializerMethodField()
    days_to_target = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id", "reference", "status", "status_label", "patient", "sending_unit", "receiving_unit",
            "icd10_code", "diagnosis_group", "procedure_code", "procedure_text", "priority", "asa_class",
            "asa_emergency", "complicating_diseases", "decision_date", "medical_target_date",
            "care_guarantee_deadline", "planned_date", "is_main_focus", "days_waited", "days_to_deadline",
            "days_to_target", "consent_referral", "consent_disclosure", "needs_interpreter",
            "interpreter_language", "needs_transport", "needs_escort", "contact_name", "contact_phone",
            "submitted_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_receiving_unit(self, referral: Referral) -> str | None:
        return str(referral.receiving_unit) if referral.receiving_unit_id else None

    def get_diagnosis_group(self, referral: Referral) -> str | None:
        return referral.diagnosis_group.name if referral.diagnosis_group is not None else None

    def get_priority(self, referral: Referral) -> str | None:
        return referral.priority.name if referral.priority is not None else None

    def _wait(self, referral: Referral) -> Any:
        return wait_status_of(referral, today=timezone.localdate())

    def get_days_waited(self, referral: Referral) -> int:
        return self._wait(referral).days_waited

    def get_days_to_deadline(self, referral: Referral) -> int | None:
        return self._wait(referral).days_to_deadline

    def get_days_to_target(self, referral: Referral) -> int | None:
        return self._wait(referral).days_to_target


class ReferralOutcomeSerializer(serializers.ModelSerializer):
    """What a step answers when the caller no longer sees the request afterwards (a decline hands it back to
    the SOT representative): its reference and new status, no patient data."""

    status = serializers.ChoiceField(choices=ReferralStatus.choices, help_text=_("Status"))
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Referral
        fields = ["id", "reference", "status", "status_label"]
        read_only_fields = fields


class MaskedPatientSerializer(serializers.Serializer):
    """The patient in a list, as in the pages' lists: the birth date only, no name."""

    personal_number = serializers.SerializerMethodField(
        help_text=_("Masked to the birth date, e.g. 19121212-****. The full number is in the request's own detail.")
    )
    home_region = serializers.CharField(source="patient_home_region.name")

    def get_personal_number(self, referral: Referral) -> str:
        return mask_personal_number(referral.patient.personal_number)


class ReferralListItemSerializer(ReferralSerializer):
    """A request in a list: the patient masked; GET /api/v1/referrals/{id}/ has the full number."""

    patient = MaskedPatientSerializer(source="*")


class ReferralInputSerializer(serializers.Serializer):
    """For the schema only: the request body is validated by the intake form (one validator for both)."""

    sending_unit = serializers.IntegerField(
        required=False, help_text=_("Sending unit (id); may be left out for one unit.")
    )
    personal_number = serializers.CharField(
        help_text=_("10 or 12 digits, with or without - (or + for age 100 or more).")
    )
    patient_name = serializers.CharField()
    home_region = serializers.IntegerField(required=False, help_text=_("Patient's home region (id)"))
    patient_phone = serializers.CharField(required=False, allow_blank=True)
    icd10_code = serializers.CharField(required=False, allow_blank=True, help_text=_("ICD-10-SE, e.g. M17.1."))
    procedure_code = serializers.CharField(required=False, allow_blank=True)
    procedure_text = serializers.CharField(required=False, allow_blank=True)
    priority = serializers.IntegerField(required=False, allow_null=True, help_text=_("Medical priority (id)"))
    asa_class = serializers.ChoiceField(choices=AsaClass.choices, required=False, allow_null=True)
    asa_emergency = serializers.BooleanField(required=False)
    complicating_diseases = serializers.CharField(required=False, allow_blank=True)
    decision_date = serializers.DateField(required=False, allow_null=True)
    medical_target_date = serializers.DateField(required=False, allow_null=True)
    consent_referral = serializers.BooleanField(required=False)
    consent_disclosure = serializers.BooleanField(required=False)
    needs_interpreter = serializers.BooleanField(required=False)
    interpreter_language = serializers.CharField(required=False, allow_blank=True)
    needs_transport = serializers.BooleanField(required=False)
    needs_escort = serializers.BooleanField(required=False)
    contact_name = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)
    submit = serializers.BooleanField(required=False, help_text=_("Submit to SOT at once instead of saving a draft."))


class ProposalSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField()
    hospital_name = serializers.CharField()
    region_name = serializers.CharField()
    first_free_week = serializers.DateField()
    free_slots = serializers.IntegerField()
    days_vs_target = serializers.IntegerField(allow_null=True)
    days_vs_deadline = serializers.IntegerField(allow_null=True)
    same_healthcare_region = serializers.BooleanField()
    distance_km = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class ExclusionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    units = serializers.IntegerField()
    message = serializers.CharField()


class MatchSerializer(serializers.Serializer):
    proposals = ProposalSerializer(many=True)
    exclusions = ExclusionSerializer(many=True)


# Request bodies of the lifecycle steps, for the schema. The forms of the pages validate them.
class NoteInput(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("No personal data: the note is seen by everyone who handles the request."),
    )


class ProposeInput(NoteInput):
    unit = serializers.IntegerField(help_text=_("Receiving unit (id)"))
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Required when the unit has no matching free capacity in SOT.")
    )


class AcceptInput(NoteInput):
    offer = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("One slot of the chosen week is reserved for the patient.")
    )
    planned_date = serializers.DateField()


class DeclineInput(NoteInput):
    reason = serializers.ChoiceField(choices=DeclineReason.choices)
    obstacle_category = serializers.ChoiceField(choices=ObstacleCategory.choices, required=False, allow_blank=True)
    obstacle_text = serializers.CharField(required=False, allow_blank=True)


class CloseInput(DeclineInput):
    reason = serializers.ChoiceField(choices=CloseReason.choices)


class WithdrawInput(NoteInput):
    reason = serializers.ChoiceField(choices=WithdrawReason.choices)


class CompleteInput(serializers.Serializer):
    care_given_date = serializers.DateField()


class CapacityOfferSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.__str__")
    diagnosis_group = serializers.CharField(source="diagnosis_group.name")
    week = serializers.CharField(source="week_label")
    free_slots = serializers.IntegerField()

    class Meta:
        model = CapacityOffer
        fields = ["id", "unit", "diagnosis_group", "week", "week_start", "slots", "reserved_slots", "free_slots",
                  "max_asa", "care_type", "note"]  # fmt: skip
        read_only_fields = fields


class CapacityOfferInput(serializers.Serializer):
    unit = serializers.IntegerField(required=False, help_text=_("Unit (id); may be left out for one unit."))
    diagnosis_group = serializers.IntegerField()
    first_week = serializers.CharField(help_text="2026-W48")
    last_week = serializers.CharField(required=False, allow_blank=True)
    slots = serializers.IntegerField(min_value=1, max_value=500)
    max_asa = serializers.ChoiceField(choices=AsaClass.choices)
    care_type = serializers.ChoiceField(choices=CareType.choices)
    note = serializers.CharField(required=False, allow_blank=True)


class SlotsInput(serializers.Serializer):
    slots = serializers.IntegerField(min_value=1, max_value=500)


class ObstacleSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name")
    referral = serializers.CharField(source="referral.reference", allow_null=True, default=None)

    class Meta:
        model = Obstacle
        fields = ["id", "category", "text", "region", "referral", "source", "created_at"]
        read_only_fields = fields


class ObstacleInput(serializers.Serializer):
    region = serializers.IntegerField(required=False, help_text=_("Region (id); may be left out for one region."))
    category = serializers.ChoiceField(choices=ObstacleCategory.choices)
    text = serializers.CharField()


class ReportSerializer(serializers.ModelSerializer):
    month = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyReport
        fields = ["id", "month", "scope_key", "scope_label", "status", "built_at", "figures", "files"]
        read_only_fields = fields

    def get_month(self, report: MonthlyReport) -> str:
        return f"{report.month:%Y-%m}"

    def get_files(self, report: MonthlyReport) -> dict[str, str]:
        if report.status != "ready":
            return {}
        return {fmt: f"/api/v1/reports/{report.pk}/{fmt}/" for fmt in ("csv", "xlsx", "pdf")}
