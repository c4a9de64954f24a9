"""Geography of Swedish healthcare: healthcare region → region → hospital → unit."""

from __future__ import annotations

import math
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.hsa import hsa_id_field, hsa_id_format

ERROR_JOINED_ON_MISSING = _("Give the day the region takes part from.")


class HealthcareRegion(models.Model):
    """A sjukvårdsregion: several regions that cooperate first with each other."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    hsa_id = hsa_id_field(help_text=_("As in the HSA catalogue, for instance SE2321000016-15CQ."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("healthcare region")
        verbose_name_plural = _("healthcare regions")
        constraints = [
            hsa_id_format("healthcare_region"),
        ]

    def __str__(self) -> str:
        return self.name


def taking_part_q(prefix: str = "", *, on: date) -> Q:
    """The condition that a region takes part in SOT on the day `on`, for a lookup path to the region:
    `taking_part_q("unit__hospital__region__", on=today)` filters offers, `taking_part_q(on=today)` regions."""
    return Q(**{f"{prefix}takes_part": True, f"{prefix}joined_on__lte": on})


class RegionQuerySet(models.QuerySet):
    def taking_part(self, *, on: date) -> RegionQuerySet:
        return self.filter(taking_part_q(on=on))


class Region(models.Model):
    """A region (vårdgivare): its own care provider, with its own SOT representatives.

    Whether it takes part in SOT is the administrator's setting, with the day it joined. The units of a
    region that does not take part are never proposed and cannot submit a request; whatever was proposed to
    or accepted by them before stays as it is (nothing is moved or lost when a region stops).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    healthcare_region = models.ForeignKey(
        HealthcareRegion, on_delete=models.PROTECT, related_name="regions", verbose_name=_("healthcare region")
    )
    care_guarantee_days = models.PositiveSmallIntegerField(
        _("care guarantee (days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the national limit. A region may use a shorter limit."),
    )
    hsa_id = hsa_id_field(help_text=_("As in the HSA catalogue, for instance SE2321000016-15CQ."))
    takes_part = models.BooleanField(
        _("takes part in SOT"),
        default=False,
        db_default=False,
        help_text=_(
            "Its units send and receive patients through SOT from the day below. Turned off, its units are no "
            "longer proposed; requests already proposed to or accepted by them stay as they are."
        ),
    )
    joined_on = models.DateField(
        _("takes part from"),
        null=True,
        blank=True,
        help_text=_("The first day the region takes part in SOT. Needed when it takes part."),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(care_guarantee_days__isnull=True) | Q(care_guarantee_days__gte=1),
                name="region_care_guarantee_days_positive",
            ),
            models.CheckConstraint(
                condition=Q(takes_part=False) | Q(joined_on__isnull=False), name="region_joined_when_taking_part"
            ),
            hsa_id_format("region"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_care_guarantee_days(self) -> int:
        return self.care_guarantee_days or settings.CARE_GUARANTEE_DAYS

    def takes_part_on(self, day: date) -> bool:
        """The same rule as `taking_part_q`, for a region in hand."""
        return self.takes_part and self.joined_on is not None and self.joined_on <= day

    def clean(self) -> None:
        super().clean()
        if self.takes_part and self.joined_on is None:
            raise ValidationError({"joined_on": ERROR_JOINED_ON_MISSING})


class Hospital(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    town = models.CharField(_("town"), max_length=80, blank=True, db_default="")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="hospitals", verbose_name=_("region"))
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    address = models.TextField(
        _("visiting address"),
        blank=True,
        db_default="",
        help_text=_("Street, postcode and town, as patients are told to come."),
    )
    hsa_id = hsa_id_field(help_text=_("As in the HSA catalogue, for instance SE2321000016-15CQ."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("hospital")
        verbose_name_plural = _("hospitals")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="hospital_unique_name_in_region"),
            models.CheckConstraint(condition=Q(latitude__gte=-90, latitude__lte=90), name="hospital_latitude_range"),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180), name="hospital_longitude_range"
            ),
            hsa_id_format("hospital"),
        ]

    def __str__(self) -> str:
        return self.name

    def distance_km(self, other: Hospital) -> float:
        """Great-circle distance, enough to rank travel between hospitals."""
        return great_circle_km(
            float(self.latitude), float(self.longitude), float(other.latitude), float(other.longitude)
        )


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    earth_radius_km = 6371.0
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * earth_radius_km * math.asin(math.sqrt(a))


class Specialty(models.TextChoices):
    ORTHOPAEDICS = "orthopaedics", _("Orthopaedics")
    GENERAL_SURGERY = "general_surgery", _("General surgery")
    UROLOGY = "urology", _("Urology")
    GYNAECOLOGY = "gynaecology", _("Gynaecology")
    ENT = "ent", _("Ear, nose and throat")
    HAND_SURGERY = "hand_surgery", _("Hand surgery")
    VASCULAR_SURGERY = "vascular_surgery", _("Vascular surgery")
    BREAST_SURGERY = "breast_surgery", _("Breast surgery")


class UnitQuerySet(models.QuerySet):
    def with_geography(self) -> UnitQuerySet:
        return self.select_related("hospital__region__healthcare_region")


class Unit(models.Model):
    """A clinic (klinik/verksamhet) at a hospital: sends and receives patients."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=160)
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="units", verbose_name=_("hospital"))
    specialty = models.CharField(_("specialty"), max_length=32, choices=Specialty.choices)
    is_active = models.BooleanField(_("active"), default=True)
    hsa_id = hsa_id_field(help_text=_("As in the HSA catalogue, for instance SE2321000016-15CQ."))
    # Contact paths of the unit as a function: shown to the other unit and the SOT representative once a
    # request is proposed, and in the patient letter. Never a person's own number or address.
    phone = models.CharField(
        _("phone"),
        max_length=40,
        blank=True,
        db_default="",
        help_text=_("The unit's switchboard or coordination number."),
    )
    function_email = models.EmailField(
        _("function e-mail address"),
        blank=True,
        db_default="",
        help_text=_("A shared address of the unit, never a person's."),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["hospital__name", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "name"], name="unit_unique_name_in_hospital"),
            models.CheckConstraint(condition=Q(specialty__in=Specialty.values), name="unit_specialty_valid"),
            hsa_id_format("unit"),
        ]

    def __str__(self) -> str:
        return self.label(self.name, self.hospital.name)

    @staticmethod
    def label(name: str, hospital_name: str) -> str:
        """How a unit is named everywhere: "Ortopedi, Skånes universitetssjukhus Lund"."""
        return f"{name}, {hospital_name}"

    @property
    def region(self) -> Region:
        return self.hospital.region
