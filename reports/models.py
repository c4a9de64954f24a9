"""Stored monthly reports: figures (aggregates only, never a patient) and their three files."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def report_path(instance: MonthlyReport, filename: str) -> str:
    return f"reports/{instance.month:%Y-%m}/{filename}"


class MonthlyReport(models.Model):
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    scope_key = models.CharField(_("scope"), max_length=80)
    scope_label = models.CharField(_("scope name"), max_length=120)
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    error = models.TextField(_("error"), blank=True)
    figures = models.JSONField(_("figures"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    built_at = models.DateTimeField(_("built"), null=True, blank=True)
    csv_file = models.FileField(_("CSV"), upload_to=report_path, blank=True)
    xlsx_file = models.FileField(_("XLSX"), upload_to=report_path, blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to=report_path, blank=True)

    class Meta:
        ordering = ["-month", "scope_key"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(fields=["month", "scope_key"], name="report_unique_month_scope"),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="report_status_valid"),
            models.CheckConstraint(condition=Q(month__day=1), name="report_month_first_day"),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.READY) | Q(built_at__isnull=False, figures__isnull=False),
                name="report_ready_has_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.scope_key}"

    @property
    def is_pending(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.BUILDING)

    @property
    def is_waiting_long(self) -> bool:
        """Queued for longer than a worker normally takes: the page says so instead of only polling."""
        from django.utils import timezone

        waited = timezone.now() - (self.queued_at or self.requested_at)
        return self.status == ReportStatus.QUEUED and waited > timedelta(minutes=settings.REPORT_WAIT_NOTICE_MINUTES)


class MonthlyFigures(models.Model):
    """The trend figures of one closed month for one scope, kept so that the figures page need not compute
    a year of history on every view. Aggregates only, never a patient (`reports.trend_queries`).

    A change that can alter a stored month marks it stale (`reports.figure_store.figures_mark_stale`, in
    the change's transaction) and bumps `marks`; the page computes stale months live until a worker has
    computed them again, and a worker stores its result only if no mark came while it computed."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    scope_key = models.CharField(_("scope"), max_length=80)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    version = models.PositiveSmallIntegerField(_("version of the definitions"), default=0)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    stale = models.BooleanField(_("stale"), default=True)
    marks = models.PositiveIntegerField(_("changes marked"), default=0)

    class Meta:
        ordering = ["scope_key", "month"]
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(fields=["scope_key", "month"], name="figures_unique_scope_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="figures_month_first_day"),
            models.CheckConstraint(
                condition=Q(stale=True) | Q(computed_at__isnull=False), name="figures_fresh_were_computed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.scope_key}"


class FiguresChange(models.Model):
    """A change that can alter kept months (a request's history, an obstacle), written in the change's own
    transaction: an INSERT, so concurrent changes never wait for each other. Until a worker applies it to
    the `MonthlyFigures` rows (marks them stale) and deletes it, the page treats the months it touches as
    not kept. It names regions only, never a request."""

    region = models.ForeignKey("organisations.Region", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first month whose figures it can change.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("change to kept figures")
        verbose_name_plural = _("changes to kept figures")
        indexes = [models.Index(fields=["month"], name="figures_change_month")]
        constraints = [models.CheckConstraint(condition=Q(month__day=1), name="figures_change_month_first_day")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_id}"
