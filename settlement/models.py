"""Care bought and sold between regions, settled at cost price (självkostnad), set yearly.

An administrator keeps the price list: one price per receiving region × diagnosis group × year × care
form. Each accepted request keeps a copy of the price in force on its acceptance date (ReferralPrice);
a later change of the list never changes it.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from capacity.models import CareType
from catalog.models import DiagnosisGroup
from organisations.models import Region

MIN_YEAR, MAX_YEAR = 2000, 2100


class PriceListEntry(models.Model):
    """The cost price of one care episode at a receiving region, for one diagnosis group, year and care form."""

    receiving_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="price_list_entries", verbose_name=_("receiving region")
    )
    diagnosis_group = models.ForeignKey(
        DiagnosisGroup, on_delete=models.PROTECT, related_name="price_list_entries", verbose_name=_("diagnosis group")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MIN_YEAR)], help_text=_("The calendar year the price is in force.")
    )
    care_form = models.CharField(_("care form"), max_length=16, choices=CareType.choices)
    price = models.DecimalField(_("price (SEK)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "receiving_region__name", "diagnosis_group__sort_order", "care_form"]
        verbose_name = _("price list entry")
        verbose_name_plural = _("price list")
        constraints = [
            models.UniqueConstraint(
                fields=["receiving_region", "diagnosis_group", "year", "care_form"], name="price_unique_per_key"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="price_not_negative"),
            models.CheckConstraint(condition=Q(care_form__in=CareType.values), name="price_care_form_valid"),
            models.CheckConstraint(condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="price_year_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.receiving_region} {self.diagnosis_group} {self.year} {self.get_care_form_display()}"


class ReferralPrice(models.Model):
    """The price an accepted request carries: copied from the list at acceptance, in the same transaction.

    `price` is None when the list had no entry for the key (or the care form was not stated): the
    request was accepted anyway and shows as "price missing". The copied amount is what counts; the
    entry it came from is kept for reference only.
    """

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.CASCADE, related_name="settlement_price", verbose_name=_("request")
    )
    receiving_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving region")
    )
    diagnosis_group = models.ForeignKey(
        DiagnosisGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("diagnosis group")
    )
    care_form = models.CharField(_("care form"), max_length=16, choices=CareType.choices, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    price = models.DecimalField(_("price (SEK)"), max_digits=12, decimal_places=2, null=True, blank=True)
    entry = models.ForeignKey(
        PriceListEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fixed_prices",
        verbose_name=_("price list entry"),
    )
    fixed_at = models.DateTimeField(_("fixed at"))

    class Meta:
        verbose_name = _("price of a request")
        verbose_name_plural = _("prices of requests")
        constraints = [
            models.CheckConstraint(condition=Q(price__isnull=True) | Q(price__gte=0), name="fixed_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.price if self.price is not None else '–'}"
