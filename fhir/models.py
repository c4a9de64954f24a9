"""The identifier a sending system gave its request (its own system and value), kept beside the request
so that a system that retries a create (If-None-Exist) never files twice and can search by its own id."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlacerIdentifier(models.Model):
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        related_name="placer_identifiers",
        verbose_name=_("request"),
    )
    system = models.CharField(_("system"), max_length=200)
    value = models.CharField(_("value"), max_length=100)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("placer identifier")
        verbose_name_plural = _("placer identifiers")
        constraints = [
            models.UniqueConstraint(fields=["system", "value"], name="placer_identifier_unique"),
            models.CheckConstraint(condition=~models.Q(system="") & ~models.Q(value=""), name="placer_identifier_set"),
        ]

    def __str__(self) -> str:
        return f"{self.system}|{self.value}"
