"""A request's append-only history, the contact between units, and obstacles to cooperation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.chain import REFERRAL_EVENT, ChainedModel, ChainedQuerySet, chain_insert
from organisations.models import Region, Unit
from referrals.models.choices import (
    CloseReason,
    DeclineReason,
    EventKind,
    HandlerChange,
    ObstacleCategory,
    ObstacleSource,
    ReferralStatus,
    WithdrawReason,
)
from referrals.models.request import Referral


class AppendOnlyQuerySet(ChainedQuerySet):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Referral events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Referral events are append-only.")


class ReferralEvent(ChainedModel):
    """One entry of a referral's history. Never changed, never deleted (a trigger guards PostgreSQL).
    Chained per request (audit/chain.py): a change made past the guards shows."""

    CHAIN = REFERRAL_EVENT
    CHAIN_KEY = "referral"
    CHAIN_FIELDS = (
        "referral_id",
        "kind",
        "from_status",
        "to_status",
        "actor_id",
        "at",
        "reason",
        "note",
        "receiving_unit_id",
    )
    CHAIN_FIELDS_IF_SET = ("given_by_phone",)
    CHAIN_LOCKS = ("referral",)
    CHAIN_REQUIRED = True

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events", verbose_name=_("request"))
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(_("from"), max_length=32, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=32, choices=ReferralStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referral_events", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    receiving_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("receiving unit")
    )
    # A step its role took outside SOT and the actor recorded: who at the receiving unit accepted by phone.
    given_by_phone = models.CharField(_("given by phone by"), max_length=120, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        indexes = [models.Index(fields=["referral", "chain_seq"], name="referral_event_chain_place")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="referral_event_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Referral events are append-only.")
        chain_insert(ReferralEvent, [self], lambda: super(ReferralEvent, self).save(*args, **kwargs))

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Referral events are append-only.")

    @property
    def reason_display(self) -> str:
        """The reason in words: a stored code (a decline reason, an obstacle's category) is never shown raw.

        A proposal's reason is free text written by the SOT representative and is shown as written.
        """
        reasons = REASONS_BY_KIND.get(self.kind)
        return str(dict(reasons.choices).get(self.reason, self.reason)) if reasons else self.reason


# The kinds of event whose reason is a code from a list, and that list.
REASONS_BY_KIND: dict[str, type[models.TextChoices]] = {
    EventKind.DECLINED: DeclineReason,
    EventKind.CLOSED: CloseReason,
    EventKind.WITHDRAWN: WithdrawReason,
    EventKind.OBSTACLE: ObstacleCategory,
    EventKind.HANDLER_CHANGED: HandlerChange,
}


class ContactRecord(models.Model):
    """The SOT representative's record that the sending and receiving units have spoken."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("request"))
    sending_person = models.CharField(_("at the sending unit"), max_length=120)
    receiving_person = models.CharField(_("at the receiving unit"), max_length=120)
    contacted_at = models.DateTimeField(_("when"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["contacted_at", "id"]
        verbose_name = _("contact between units")
        verbose_name_plural = _("contacts between units")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.contacted_at:%Y-%m-%d %H:%M}"


class Obstacle(models.Model):
    """An obstacle to cooperation (hinder för samverkan); reported monthly to the health directors."""

    category = models.CharField(_("category"), max_length=20, choices=ObstacleCategory.choices)
    text = models.TextField(_("description"), help_text=_("No personal data: this text goes into the monthly report."))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="obstacles", verbose_name=_("region"))
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obstacles",
        verbose_name=_("request"),
    )
    source = models.CharField(_("source"), max_length=12, choices=ObstacleSource.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("obstacle to cooperation")
        verbose_name_plural = _("obstacles to cooperation")
        constraints = [
            models.CheckConstraint(condition=Q(category__in=ObstacleCategory.values), name="obstacle_category_valid"),
            models.CheckConstraint(condition=Q(source__in=ObstacleSource.values), name="obstacle_source_valid"),
            models.CheckConstraint(
                condition=Q(source=ObstacleSource.STANDALONE) | Q(referral__isnull=False),
                name="obstacle_from_a_request_has_it",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.created_at:%Y-%m-%d}"
