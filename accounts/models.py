"""Users and the roles they hold, each role scoped to one unit, region or healthcare region."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.hsa import hsa_id_field, hsa_id_format
from organisations.models import HealthcareRegion, Region, Unit

if TYPE_CHECKING:
    from accounts.selectors import Scopes


class User(AbstractUser):
    """The project's user. Administrators are users with `is_staff` (Django admin access)."""

    # The person's own HSA-id (employee HSA-id), set from the identity provider's claims at each SITHS login.
    # Empty for local accounts (the demo's and break-glass administrators).
    hsa_id = hsa_id_field()

    _sot_scopes: Scopes  # not a field: accounts.selectors.user_scopes caches the user's scopes here

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            hsa_id_format("user"),
        ]


class Role(models.TextChoices):
    UNIT_STAFF = "unit_staff", _("Unit staff")
    SOT_REPRESENTATIVE = "sot_representative", _("SOT representative")
    RECEIVING_STAFF = "receiving_staff", _("Receiving unit staff")
    HEALTH_DIRECTOR = "health_director", _("Health director")


# Which scope each role is held in. The database constraint below enforces the same table.
UNIT_ROLES = (Role.UNIT_STAFF, Role.RECEIVING_STAFF)
REGION_ROLES = (Role.SOT_REPRESENTATIVE,)


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user: User) -> MembershipQuerySet:
        return self.filter(user=user).select_related(
            "unit__hospital__region__healthcare_region", "region__healthcare_region", "healthcare_region"
        )


class Membership(models.Model):
    """One role of one user in one place. A person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships", verbose_name=_("unit")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships", verbose_name=_("region")
    )
    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("healthcare region"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Given by the assignment chosen at a SITHS sign-in (accounts/oidc.py), and replaced at the next one;
    # memberships an administrator adds by hand are never touched by a sign-in.
    from_sign_in = models.BooleanField(
        _("from SITHS sign-in"),
        default=False,
        help_text=_("Given by the assignment chosen at the last SITHS sign-in; replaced at the next one."),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__username", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
            # Unit roles are held in exactly one unit; the SOT representative in one region;
            # a health director in one region or one healthcare region.
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=[r.value for r in UNIT_ROLES],
                        unit__isnull=False,
                        region__isnull=True,
                        healthcare_region__isnull=True,
                    )
                    | Q(
                        role__in=[r.value for r in REGION_ROLES],
                        unit__isnull=True,
                        region__isnull=False,
                        healthcare_region__isnull=True,
                    )
                    | Q(
                        role=Role.HEALTH_DIRECTOR,
                        unit__isnull=True,
                        region__isnull=False,
                        healthcare_region__isnull=True,
                    )
                    | Q(
                        role=Role.HEALTH_DIRECTOR,
                        unit__isnull=True,
                        region__isnull=True,
                        healthcare_region__isnull=False,
                    )
                ),
                name="membership_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"], condition=Q(unit__isnull=False), name="membership_unique_unit"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"], condition=Q(region__isnull=False), name="membership_unique_region"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "healthcare_region"],
                condition=Q(healthcare_region__isnull=False),
                name="membership_unique_healthcare_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.scope}"

    @property
    def scope(self) -> Unit | Region | HealthcareRegion | None:
        return self.unit or self.region or self.healthcare_region


class NewsReadMark(models.Model):
    """How far a user has read the "Nytt sedan senast" list: events up to `read_until` are no longer new.

    Moved only when the user presses "Markera som läst", never by opening the page, so that what was new
    stays on the list (and in the start page's count) until the user says it has been read.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="news_read_mark", verbose_name=_("user")
    )
    read_until = models.DateTimeField(_("read up to"))
    marked_at = models.DateTimeField(_("marked as read"), auto_now=True)

    class Meta:
        verbose_name = _("news read mark")
        verbose_name_plural = _("news read marks")

    def __str__(self) -> str:
        return f"{self.user_id} {self.read_until:%Y-%m-%d %H:%M}"
