"""Free capacity that receiving units publish: slots per diagnosis group and ISO week."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from capacity.weeks import format_week, iso_week
from catalog.models import ASA_ROMAN, AsaClass, DiagnosisGroup
from organisations.models import Unit


class CareType(models.TextChoices):
    DAY_SURGERY = "day_surgery", _("Day surgery")
    INPATIENT = "inpatient", _("Inpatient")


class CapacityOfferQuerySet(models.QuerySet):
    def active(self) -> CapacityOfferQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class CapacityOffer(models.Model):
    """Slots one unit offers for one diagnosis group in one ISO week (stored as the week's Monday)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="capacity_offers", verbose_name=_("unit"))
    diagnosis_group = models.ForeignKey(
        DiagnosisGroup, on_delete=models.PROTECT, related_name="capacity_offers", verbose_name=_("diagnosis group")
    )
    week_start = models.DateField(_("week (Monday)"))
    slots = models.PositiveSmallIntegerField(_("slots"))
    reserved_slots = models.PositiveSmallIntegerField(_("reserved slots"), default=0, editable=False)
    max_asa = models.PositiveSmallIntegerField(
        _("highest ASA class"), choices=AsaClass.choices, help_text=_("The highest ASA class the unit can take.")
    )
    care_type = models.CharField(_("care type"), max_length=16, choices=CareType.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    created_at = models.DateTimeField(_("published"), auto_now_add=True)
    # Set when the offer is published, when its slots change, and when its unit confirms all its offers.
    confirmed_at = models.DateTimeField(_("last confirmed"), default=timezone.now, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("last confirmed by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)

    objects = CapacityOfferQuerySet.as_manager()

    class Meta:
        ordering = ["week_start", "unit_id", "diagnosis_group_id"]
        verbose_name = _("capacity offer")
        verbose_name_plural = _("capacity offers")
        indexes = [
            # The matching query: one diagnosis group, weeks from now on.
            models.Index(fields=["diagnosis_group", "week_start"], name="offer_group_week"),
            # Matching's one query (`capacity.candidates`) reads only this index on PostgreSQL: the active
            # offers of one group from this week on, with every column it aggregates (an index-only scan).
            models.Index(
                fields=["diagnosis_group", "week_start"],
                include=["unit", "slots", "reserved_slots", "max_asa", "confirmed_at"],
                condition=Q(withdrawn_at__isnull=True),
                name="offer_match",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(slots__gte=1), name="offer_slots_positive"),
            # Slots can be reduced, never below what is reserved; two acceptances cannot both take the last slot.
            models.CheckConstraint(condition=Q(reserved_slots__lte=F("slots")), name="offer_reserved_within_slots"),
            models.CheckConstraint(condition=Q(max_asa__gte=1, max_asa__lte=6), name="offer_max_asa_range"),
            models.CheckConstraint(condition=Q(care_type__in=CareType.values), name="offer_care_type_valid"),
            models.UniqueConstraint(
                fields=["unit", "diagnosis_group", "week_start", "care_type"],
                condition=Q(withdrawn_at__isnull=True),
                name="offer_unique_per_week",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.diagnosis_group_id} {iso_week(self.week_start)}"

    @property
    def free_slots(self) -> int:
        return self.slots - self.reserved_slots

    @property
    def max_asa_display(self) -> str:
        return ASA_ROMAN[self.max_asa]

    @property
    def confirmed_on(self) -> date:
        """The day of the last confirmation, in Swedish time."""
        return timezone.localdate(self.confirmed_at)

    @property
    def week_label(self) -> str:
        """The week as people read it ("v. 48 2026")."""
        return format_week(self.week_start)

    @property
    def week_iso(self) -> str:
        """The week for machines ("2026-W48")."""
        return iso_week(self.week_start)


DEFAULT_CONFIRMATION_DAYS = 14


class ConfirmationLimit(models.Model):
    """How long an offer counts as confirmed: one row, edited by the administrator.

    The row is created by the migration; without it (a database emptied by hand) the default holds.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    days = models.PositiveSmallIntegerField(
        _("days"),
        default=DEFAULT_CONFIRMATION_DAYS,
        help_text=_(
            "An offer last confirmed more calendar days ago than this is marked unconfirmed in the proposals "
            "and ranks after confirmed ones. Confirmed exactly this many days ago still counts."
        ),
    )

    class Meta:
        verbose_name = _("confirmation limit")
        verbose_name_plural = _("confirmation limit")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="confirmation_limit_single_row"),
            models.CheckConstraint(condition=Q(days__gte=1), name="confirmation_limit_days_positive"),
        ]

    def __str__(self) -> str:
        return gettext("Offers count as confirmed for %(days)s days") % {"days": self.days}


def confirmation_stale(confirmed_on: date, *, today: date, days: int) -> bool:
    """Whether a confirmation on `confirmed_on` (a local date) has expired by `today`.

    The one definition of the boundary: exactly `days` calendar days ago still counts, one more does not.
    """
    return (today - confirmed_on).days > days
