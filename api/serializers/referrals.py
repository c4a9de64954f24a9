"""Requests as the API shows them: in full on their own, masked in lists, or only their outcome; and the
ranked receiving units of one."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from catalog.models import AsaClass
from referrals.models import Referral, ReferralStatus
from referrals.selectors import wait_status_of
from sot.personal_numbers import format_personal_number, mask_personal_number


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
    confirmed_on = serializers.DateField(help_text="The oldest last confirmation among the unit's free offers.")
    unconfirmed = serializers.BooleanField(
        help_text="Not confirmed within the administrator's limit: ranked after every confirmed unit."
    )
    reasons = serializers.ListField(child=serializers.CharField())


class ExclusionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    units = serializers.IntegerField()
    message = serializers.CharField()


class DeclinedUnitSerializer(serializers.Serializer):
    """A unit that declined the request: not ranked (proposing it again needs a written reason)."""

    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField()
    hospital_name = serializers.CharField()
    region_name = serializers.CharField()
    declined_on = serializers.DateField(help_text="The day of its latest decline of this request.")
    reason = serializers.CharField(help_text="The decline's reason, as the request page shows it.")
    proposal = ProposalSerializer(
        allow_null=True, help_text="The ranking it would have had, if it still has capacity for the request."
    )


class MatchSerializer(serializers.Serializer):
    proposals = ProposalSerializer(many=True)
    exclusions = ExclusionSerializer(many=True)
    declined = DeclinedUnitSerializer(many=True, help_text="Units that declined this request, latest first.")
