"""Action plans for obstacles to cooperation (the healthcare region's action-plan template): per obstacle
category, in one region or one healthcare region, what is done about it, who owns it, how it is followed
up, and its status. The status history is append-only; the plan's current status is its latest entry."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import HealthcareRegion, Region
from referrals.models import ObstacleCategory


class ActionPlanStatus(models.TextChoices):
    GREEN = "green", _("Green – on plan")
    YELLOW = "yellow", _("Yellow – minor problems")
    RED = "red", _("Red – serious problems")
    DONE = "done", _("Done")


class ActionPlan(models.Model):
    category = models.CharField(_("obstacle category"), max_length=20, choices=ObstacleCategory.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="action_plans", verbose_name=_("region")
    )
    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_plans",
        verbose_name=_("healthcare region"),
    )
    title = models.CharField(_("priority area"), max_length=200)
    activities = models.TextField(_("activities"))
    owner_function = models.CharField(
        _("owner"), max_length=200, help_text=_("A function, never a person's name or a patient.")
    )
    follow_up_method = models.TextField(_("follow-up method"))
    indicator = models.CharField(_("indicator"), max_length=300)
    target_value = models.CharField(_("target value"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=ActionPlanStatus.choices)
    status_date = models.DateField(_("status date"))
    status_comment = models.TextField(_("comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("updated by")
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["category", "title", "id"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=ObstacleCategory.values), name="action_plan_category_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=ActionPlanStatus.values), name="action_plan_status_valid"),
            models.CheckConstraint(
                condition=Q(region__isnull=False, healthcare_region__isnull=True)
                | Q(region__isnull=True, healthcare_region__isnull=False),
                name="action_plan_one_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def place(self) -> Region | HealthcareRegion:
        return self.region or self.healthcare_region  # type: ignore[return-value]


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Action-plan status changes are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Action-plan status changes are append-only.")


class ActionPlanStatusChange(models.Model):
    """One status of a plan, from its date on. Never changed, never deleted."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.PROTECT, related_name="status_changes", verbose_name=_("action plan")
    )
    status = models.CharField(_("status"), max_length=10, choices=ActionPlanStatus.choices)
    date = models.DateField(_("status date"))
    comment = models.TextField(_("comment"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    changed_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["date", "changed_at", "id"]
        verbose_name = _("action-plan status change")
        verbose_name_plural = _("action-plan status changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionPlanStatus.values), name="action_plan_change_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.status} {self.date}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Action-plan status changes are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Action-plan status changes are append-only.")
