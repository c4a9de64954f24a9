"""How long a request may wait in a status before the SOT queue marks it: limits the administrator edits."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from referrals.models.choices import ReferralStatus

# The statuses a request waits in for someone's next step; a draft waits for nobody in SOT and a
# finished request for nothing at all, so those can carry no limit.
LIMITED_STATUSES = (
    ReferralStatus.SUBMITTED,
    ReferralStatus.IN_REVIEW,
    ReferralStatus.PROPOSED,
    ReferralStatus.ACCEPTED,
)


class StateWaitLimit(models.Model):
    """A request that has been in `status` for more than `working_days` working days has waited too long."""

    status = models.CharField(
        _("status"),
        max_length=32,
        unique=True,
        choices=[(s.value, s.label) for s in LIMITED_STATUSES],
    )
    working_days = models.PositiveSmallIntegerField(
        _("working days"),
        help_text=_("Monday to Friday. A request in this status for longer is marked in the SOT queue."),
    )

    class Meta:
        ordering = ["status"]
        verbose_name = _("wait limit")
        verbose_name_plural = _("wait limits")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in LIMITED_STATUSES]), name="wait_limit_status_limited"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.working_days}"
