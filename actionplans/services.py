"""The one write path for action plans: creating a plan writes its first status into the history, and
every status change updates the plan and appends to the history in the same transaction."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.models import ActionPlan, ActionPlanStatusChange

if TYPE_CHECKING:
    from accounts.models import User
    from organisations.models import HealthcareRegion, Region

ERROR_STATUS_DATE_IN_FUTURE = _("The status date cannot be in the future.")
ERROR_STATUS_UNCHANGED = _("Choose another status or another date: this one is already recorded.")

PLAN_FIELDS = ("category", "title", "activities", "owner_function", "follow_up_method", "indicator", "target_value")


def _check_date(day: date) -> None:
    if day > timezone.localdate():
        raise ValidationError({"status_date": ERROR_STATUS_DATE_IN_FUTURE})


@transaction.atomic
def plan_create(
    *,
    by: User,
    region: Region | None = None,
    healthcare_region: HealthcareRegion | None = None,
    status: str,
    status_date: date,
    status_comment: str = "",
    **fields: str,
) -> ActionPlan:
    _check_date(status_date)
    now = timezone.now()
    plan = ActionPlan.objects.create(
        region=region,
        healthcare_region=healthcare_region,
        status=status,
        status_date=status_date,
        status_comment=status_comment,
        created_by=by,
        updated_by=by,
        created_at=now,
        updated_at=now,
        **{name: fields[name] for name in PLAN_FIELDS},
    )
    ActionPlanStatusChange.objects.create(
        plan=plan, status=status, date=status_date, comment=status_comment, changed_by=by, changed_at=now
    )
    return plan


@transaction.atomic
def plan_update(*, plan: ActionPlan, by: User, **fields: str) -> ActionPlan:
    """The plan's content (not its place, not its status: a status changes through plan_change_status)."""
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    for name in PLAN_FIELDS:
        setattr(locked, name, fields[name])
    locked.updated_by, locked.updated_at = by, timezone.now()
    locked.save()
    return locked


@transaction.atomic
def plan_change_status(*, plan: ActionPlan, by: User, status: str, status_date: date, comment: str = "") -> ActionPlan:
    _check_date(status_date)
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if (status, status_date, comment) == (locked.status, locked.status_date, locked.status_comment):
        raise ValidationError({"status": ERROR_STATUS_UNCHANGED})
    now = timezone.now()
    ActionPlanStatusChange.objects.create(
        plan=locked, status=status, date=status_date, comment=comment, changed_by=by, changed_at=now
    )
    # The plan shows the status in force today: the latest by date (a late entry for an earlier date
    # completes the history without replacing a newer status).
    latest = locked.status_changes.order_by("-date", "-changed_at", "-id")[0]
    locked.status, locked.status_date, locked.status_comment = latest.status, latest.date, latest.comment
    locked.updated_by, locked.updated_at = by, now
    locked.save()
    return locked
