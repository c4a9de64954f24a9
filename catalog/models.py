"""The catalogue the other apps share: diagnosis groups with their ICD-10 ranges, medical priorities and
ASA classes. Reference data, edited by administrators; below `referrals` and `capacity`, which both use it.

The tables keep the names they had when these models lived in `referrals` (migration catalog 0001).
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from organisations.models import Specialty

ICD10_CATEGORY_REGEX = r"^[A-Z][0-9]{2}$"
ICD10_CODE_REGEX = r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,2})?$"


class DiagnosisGroup(models.Model):
    """A group of ICD-10 categories that the monthly report counts by."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    specialty = models.CharField(_("specialty"), max_length=32, choices=Specialty.choices)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "referrals_diagnosisgroup"  # the table predates the app: moving it kept the rows
        ordering = ["sort_order", "name"]
        verbose_name = _("diagnosis group")
        verbose_name_plural = _("diagnosis groups")
        constraints = [
            models.CheckConstraint(condition=Q(specialty__in=Specialty.values), name="diagnosis_group_specialty_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class DiagnosisCodeRangeQuerySet(models.QuerySet):
    def covering(self, category: str) -> DiagnosisCodeRangeQuerySet:
        return self.filter(first__lte=category, last__gte=category, group__is_active=True)


class DiagnosisCodeRange(models.Model):
    """An inclusive range of ICD-10 categories (three characters, e.g. M16–M17)."""

    group = models.ForeignKey(
        DiagnosisGroup, on_delete=models.CASCADE, related_name="code_ranges", verbose_name=_("diagnosis group")
    )
    first = models.CharField(
        _("first category"),
        max_length=3,
        validators=[RegexValidator(ICD10_CATEGORY_REGEX, _("Write an ICD-10 category such as M16."))],
    )
    last = models.CharField(
        _("last category"),
        max_length=3,
        validators=[RegexValidator(ICD10_CATEGORY_REGEX, _("Write an ICD-10 category such as M17."))],
    )

    objects = DiagnosisCodeRangeQuerySet.as_manager()

    class Meta:
        db_table = "referrals_diagnosiscoderange"
        ordering = ["first"]
        verbose_name = _("ICD-10 code range")
        verbose_name_plural = _("ICD-10 code ranges")
        constraints = [
            models.CheckConstraint(condition=Q(first__regex=ICD10_CATEGORY_REGEX), name="code_range_first_format"),
            models.CheckConstraint(condition=Q(last__regex=ICD10_CATEGORY_REGEX), name="code_range_last_format"),
            models.CheckConstraint(condition=Q(first__lte=F("last")), name="code_range_ordered"),
            models.UniqueConstraint(fields=["first"], name="code_range_unique_first"),
        ]

    def __str__(self) -> str:
        return self.first if self.first == self.last else f"{self.first}–{self.last}"


class MedicalPriority(models.Model):
    """Admin-editable medical priority list. SOT's main focus is the rows marked as such."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    max_wait_days = models.PositiveSmallIntegerField(_("maximum wait (days)"))
    sort_order = models.PositiveSmallIntegerField(_("sort order"), unique=True, help_text=_("1 is most urgent."))
    is_main_focus = models.BooleanField(
        _("SOT main focus"), default=False, help_text=_("High and medium-high priority are SOT's main focus.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "referrals_medicalpriority"
        ordering = ["sort_order"]
        verbose_name = _("medical priority")
        verbose_name_plural = _("medical priorities")
        constraints = [
            models.CheckConstraint(condition=Q(max_wait_days__gte=1), name="priority_max_wait_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class AsaClass(models.IntegerChoices):
    """ASA physical status classification, with ASA's own wording."""

    I = 1, _("ASA I – a normal healthy patient")  # noqa: E741  (the class is called I)
    II = 2, _("ASA II – a patient with mild systemic disease")
    III = 3, _("ASA III – a patient with severe systemic disease")
    IV = 4, _("ASA IV – a patient with severe systemic disease that is a constant threat to life")
    V = 5, _("ASA V – a moribund patient who is not expected to survive without the operation")
    VI = 6, _("ASA VI – a declared brain-dead patient whose organs are being removed for donor purposes")


ASA_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}
MAIN_FOCUS_MIN_ASA = AsaClass.III


def asa_label(asa_class: int | None, emergency: bool) -> str:
    """ASA III, ASA IV-E…: the roman class with E for an emergency; "–" when not given."""
    if asa_class is None:
        return "–"
    return ASA_ROMAN[asa_class] + ("E" if emergency else "")


def is_main_focus(priority_is_main_focus: bool | None, asa_class: int | None) -> bool:
    """SOT's main focus: high or medium-high priority and ASA III or higher. Informs, never blocks."""
    return bool(priority_is_main_focus and asa_class is not None and asa_class >= MAIN_FOCUS_MIN_ASA)


class Icd10TitleSource(models.TextChoices):
    SHIPPED = "shipped", _("Shipped with SOT")
    ICD10_SE = "icd10_se", _("Imported from ICD-10-SE")
    ADMIN = "admin", _("Edited by an administrator")


class Icd10Title(models.Model):
    """The Swedish title of an ICD-10 code (ICD-10-SE); WHO's English is shown where there is none.

    `source` says where the text came from, so that neither `load_reference_data` nor an import ever
    overwrites what an administrator wrote.
    """

    code = models.CharField(
        _("code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(ICD10_CODE_REGEX, _("Write an ICD-10 code such as M17 or M17.1."))],
    )
    title_sv = models.CharField(_("Swedish title"), max_length=255)
    source = models.CharField(_("source"), max_length=10, choices=Icd10TitleSource.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ICD-10 title")
        verbose_name_plural = _("ICD-10 titles")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=ICD10_CODE_REGEX), name="icd10_title_code_format"),
            models.CheckConstraint(condition=~Q(title_sv=""), name="icd10_title_not_empty"),
            models.CheckConstraint(condition=Q(source__in=Icd10TitleSource.values), name="icd10_title_source_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_sv}"
