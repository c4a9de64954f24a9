"""The patient and the coordination request (referral), with its paused waiting.

The status of a referral is never written here or in a form: `referrals.lifecycle` holds the
table of allowed changes and `referrals.services.history` is the only code that applies them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import ICD10_CODE_REGEX, AsaClass, DiagnosisGroup, MedicalPriority, asa_label
from catalog.models import is_main_focus as main_focus
from organisations.models import Region, Unit
from referrals.models.choices import OPEN_STATUSES, STATUSES_WITH_RECEIVING_UNIT, ReferralStatus, WaitPauseKind
from referrals.rules import REFERRAL_RULE_FIELDS, referral_errors
from sot.personal_numbers import mask_personal_number


class Patient(models.Model):
    """A person, by personnummer or samordningsnummer: what ties requests and access-log entries to them.

    Nothing else is kept here. Each region is its own care provider, and what a region records about
    the person (name, phone, home region) is the request's own copy (`Referral.patient_name` and the
    rest), so a filing in one region can never change, nor show, what another region recorded.
    """

    personal_number = models.CharField(
        _("personal identity number"),
        max_length=12,
        unique=True,
        help_text=_("Personnummer or samordningsnummer, stored as 12 digits."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        constraints = [
            models.CheckConstraint(condition=Q(personal_number__regex=r"^[0-9]{12}$"), name="patient_pnr_12_digits"),
        ]

    def __str__(self) -> str:
        # Never the full number: __str__ ends up in logs and error pages.
        return mask_personal_number(self.personal_number)

    @property
    def masked_personal_number(self) -> str:
        return mask_personal_number(self.personal_number)


def _required_after_submission() -> Q:
    return Q(
        submitted_at__isnull=False,
        diagnosis_group__isnull=False,
        priority__isnull=False,
        asa_class__isnull=False,
        decision_date__isnull=False,
        medical_target_date__isnull=False,
        care_guarantee_deadline__isnull=False,
        consent_referral=True,
        consent_disclosure=True,
    ) & ~Q(icd10_code="")


class Referral(models.Model):
    """A coordination request (samordningsbegäran) for one patient of a sending unit."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=32, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT, editable=False
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("patient"))
    # The sending care provider's record of the patient, as disclosed with the request. Changed only
    # by `services.referral_change_patient_details`, which writes an event and an access-log entry.
    patient_name = models.CharField(_("patient's name"), max_length=200)
    patient_home_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("patient's home region")
    )
    patient_phone = models.CharField(_("patient's phone"), max_length=40, blank=True)
    sending_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="sent_referrals", verbose_name=_("sending unit")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_referrals",
        editable=False,
        verbose_name=_("created by"),
    )

    # Diagnosis and priority
    icd10_code = models.CharField(
        _("diagnosis (ICD-10)"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(ICD10_CODE_REGEX, _("Write an ICD-10 code such as M17.1."))],
    )
    diagnosis_group = models.ForeignKey(
        DiagnosisGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("diagnosis group"),
    )
    procedure_code = models.CharField(_("planned procedure (KVÅ)"), max_length=12, blank=True)
    procedure_text = models.CharField(_("planned procedure, description"), max_length=200, blank=True)
    priority = models.ForeignKey(
        MedicalPriority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("medical priority"),
    )
    asa_class = models.PositiveSmallIntegerField(_("ASA class"), choices=AsaClass.choices, null=True, blank=True)
    asa_emergency = models.BooleanField(_("emergency (E)"), default=False)
    complicating_diseases = models.TextField(
        _("complicating diseases"), blank=True, help_text=_("Why the ASA class is high.")
    )

    # Dates: the care-guarantee clock starts at the decision to treat.
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    medical_target_date = models.DateField(_("medical target date"), null=True, blank=True)
    care_guarantee_deadline = models.DateField(_("care-guarantee deadline"), null=True, blank=True, editable=False)

    # Consent: each region is its own care provider, so disclosure needs the patient's consent.
    consent_referral = models.BooleanField(_("consents to referral to another region"), default=False)
    consent_disclosure = models.BooleanField(_("consents to disclosure of data to another region"), default=False)

    # Needs and contact
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(_("interpreter language"), max_length=60, blank=True)
    needs_transport = models.BooleanField(_("needs transport"), default=False)
    needs_escort = models.BooleanField(_("needs an escort"), default=False)
    # How far the patient can travel for care: a hard rule in matching and in the group plan. Empty: anywhere.
    max_travel_km = models.PositiveIntegerField(
        _("maximum travel distance (km)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How far from the sending hospital the patient can travel for care, in km as the crow flies. "
            "Leave empty if the patient can travel anywhere in the country."
        ),
    )
    contact_name = models.CharField(_("contact person at the sending unit"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    # Coordination outcome, written by the lifecycle service only.
    receiving_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_referrals",
        editable=False,
        verbose_name=_("receiving unit"),
    )
    reserved_offer = models.ForeignKey(
        "capacity.CapacityOffer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reserved_by",
        editable=False,
        verbose_name=_("reserved capacity"),
        help_text=_("The capacity offer one slot of which this request holds since it was accepted."),
    )
    planned_date = models.DateField(_("planned date of care"), null=True, blank=True, editable=False)
    care_given_date = models.DateField(_("date care was given"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    # When the request entered its current status: written with the status, in the same UPDATE.
    status_changed_at = models.DateTimeField(_("in this status since"), default=timezone.now, editable=False)
    # The SOT representative who has taken the request on ("Mina ärenden"); none until someone does.
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_referrals",
        editable=False,
        verbose_name=_("handler"),
    )

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("coordination request")
        verbose_name_plural = _("coordination requests")
        indexes = [
            models.Index(fields=["sending_unit", "status"], name="referral_unit_status"),
            models.Index(fields=["receiving_unit", "status"], name="referral_receiver_status"),
            models.Index(fields=["status", "care_guarantee_deadline"], name="referral_status_deadline"),
            models.Index(fields=["accepted_at"], name="referral_accepted_at"),
            models.Index(fields=["handler", "status"], name="referral_handler_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"),
            models.CheckConstraint(condition=~Q(patient_name=""), name="referral_patient_named"),
            models.CheckConstraint(
                condition=Q(asa_class__isnull=True) | Q(asa_class__gte=1, asa_class__lte=6),
                name="referral_asa_class_range",
            ),
            models.CheckConstraint(
                condition=Q(max_travel_km__isnull=True) | Q(max_travel_km__gte=1),
                name="referral_travel_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(decision_date__isnull=True)
                | Q(medical_target_date__isnull=True)
                | Q(medical_target_date__gte=F("decision_date")),
                name="referral_target_not_before_decision",
            ),
            models.CheckConstraint(
                condition=Q(decision_date__isnull=True) | Q(care_guarantee_deadline__gt=F("decision_date")),
                name="referral_deadline_after_decision",
            ),
            # Everything the SOT representative needs is there once a request has been submitted;
            # only a draft (or a draft withdrawn before submission) may be incomplete.
            models.CheckConstraint(
                condition=Q(status__in=[ReferralStatus.DRAFT, ReferralStatus.WITHDRAWN], submitted_at__isnull=True)
                | _required_after_submission(),
                name="referral_complete_after_submission",
            ),
            models.CheckConstraint(
                condition=Q(status__in=STATUSES_WITH_RECEIVING_UNIT, receiving_unit__isnull=False)
                | (~Q(status__in=STATUSES_WITH_RECEIVING_UNIT) & Q(receiving_unit__isnull=True)),
                name="referral_receiving_unit_matches_status",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED])
                | Q(planned_date__isnull=False, accepted_at__isnull=False),
                name="referral_accepted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.COMPLETED) | Q(care_given_date__isnull=False),
                name="referral_completed_has_care_date",
            ),
            models.CheckConstraint(
                condition=Q(reserved_offer__isnull=True)
                | Q(status__in=[ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED]),
                name="referral_reservation_only_when_accepted",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ReferralStatus.WITHDRAWN, ReferralStatus.CLOSED, ReferralStatus.COMPLETED])
                | Q(closed_at__isnull=False),
                name="referral_finished_has_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        # The rules the intake form and the API apply before the service, applied again by every service.
        errors = referral_errors({name: getattr(self, name) for name in REFERRAL_RULE_FIELDS})
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def asa_display(self) -> str:
        return asa_label(self.asa_class, self.asa_emergency)

    @property
    def travels_anywhere(self) -> bool:
        return self.max_travel_km is None

    @property
    def is_main_focus(self) -> bool:
        """SOT's main focus (catalog.models.is_main_focus). Informs, never blocks."""
        return main_focus(self.priority is not None and self.priority.is_main_focus, self.asa_class)


class WaitPause(models.Model):
    """A period during which the care-guarantee clock stands still."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="pauses", verbose_name=_("request"))
    kind = models.CharField(_("kind"), max_length=8, choices=WaitPauseKind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), help_text=_("Inclusive."))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("paused waiting period")
        verbose_name_plural = _("paused waiting periods")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="wait_pause_ordered"),
            models.CheckConstraint(condition=Q(kind__in=WaitPauseKind.values), name="wait_pause_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date}–{self.end_date}"


class ReferenceSequence(models.Model):
    """The last reference number handed out per year (SOT-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference sequence")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"
