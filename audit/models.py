"""The access log (patientdatalagen 4 kap. 3 §): who read or changed which patient's data, when, as what.

Own model rather than django-auditlog: the questions asked of it ("who saw this patient", "what
did this user open") need the patient and the request as indexed columns, and most state changes
here are conditional UPDATEs that model signals never see. Append-only: the application has no
code path that changes or deletes an entry, the admin is read-only, and a database trigger refuses
UPDATE (and DELETE on PostgreSQL). Each entry is chained per patient (audit/chain.py), so a change,
removal or insertion made past all of that, by someone with the database owner's rights, shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.chain import ACCESS_LOG, GENESIS, ChainedModel, ChainedQuerySet, chain_insert
from organisations.hsa import HSA_ID_MAX_LENGTH


class AccessAction(models.TextChoices):
    # In a context of their own: a bare "Change" would also translate the admin's "Change" links.
    READ = "read", pgettext_lazy("access log action", "Read")
    CREATE = "create", pgettext_lazy("access log action", "Create")
    CHANGE = "change", pgettext_lazy("access log action", "Change")
    EXPORT = "export", pgettext_lazy("access log action", "Export")


def _name_hsa_id(entries: Iterable[AccessLogEntry]) -> None:
    """Every entry names the user's HSA-id as it is when the entry is made (a SITHS user's; "" otherwise)."""
    for entry in entries:
        if not entry.user_hsa_id:
            entry.user_hsa_id = entry.user.hsa_id or ""


class AccessLogQuerySet(ChainedQuerySet):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        """Chained, in one hand-written INSERT (audit.chain.insert_plain); no options of the ORM's."""
        if args or kwargs:
            raise TypeError("The access log's bulk_create takes the entries only.")
        rows = list(objs)
        if not rows:
            return rows
        _name_hsa_id(rows)
        return chain_insert(AccessLogEntry, rows)  # written by audit.chain.insert_plain

    def update(self, **kwargs: Any) -> int:
        raise TypeError("The access log is append-only.")

    def delete(self) -> NoReturn:
        raise TypeError("The access log is append-only.")


class AccessLogEntry(ChainedModel):
    CHAIN = ACCESS_LOG
    CHAIN_KEY = "patient"
    CHAIN_FIELDS = ("at", "user_id", "role", "place", "patient_id", "referral_id", "action", "what")
    CHAIN_LOCKS = ("referral",)
    CHAIN_FIELDS_IF_SET = ("user_hsa_id",)

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # No index of their own on the user and the patient: the indexes below begin with them, and every
    # index is written by every page that shows a patient (the queue: 25 entries a page).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="access_log",
        verbose_name=_("user"),
        db_index=False,
    )
    # The user's employee HSA-id when the entry was made (set at each SITHS sign-in; empty for local accounts).
    user_hsa_id = models.CharField(
        _("user's HSA-id"), max_length=HSA_ID_MAX_LENGTH, blank=True, default="", db_default=""
    )
    role = models.CharField(_("as"), max_length=60, blank=True, help_text=_("The user's roles on the request."))
    place = models.CharField(_("unit or region"), max_length=200, blank=True)
    patient = models.ForeignKey(
        "referrals.Patient",
        on_delete=models.PROTECT,
        related_name="access_log",
        verbose_name=_("patient"),
        db_index=False,
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_log",
        verbose_name=_("request"),
    )
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    what = models.CharField(_("what"), max_length=200, blank=True, help_text=_("The page or step, never data."))

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = pgettext_lazy("patient data", "access log")  # not axes' "access log" (sign-ins)
        indexes = [
            models.Index(fields=["patient", "at"], name="access_patient_at"),
            models.Index(fields=["user", "at"], name="access_user_at"),
            models.Index(fields=["patient", "chain_seq"], name="access_chain_place"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=AccessAction.values), name="access_action_valid"),
        ]

    def __str__(self) -> str:
        # As the admin names an entry: local time, the action in words, who. Never the patient.
        when = timezone.localtime(self.at)
        return f"{when:%Y-%m-%d %H:%M} · {self.get_action_display()} · {self.user.username}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("The access log is append-only.")
        _name_hsa_id([self])
        chain_insert(AccessLogEntry, [self], lambda: super(AccessLogEntry, self).save(*args, **kwargs))

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("The access log is append-only.")


class ChainHead(models.Model):
    """The length and last hash of one chain (audit/chain.py): a removed last row shows against it."""

    chain = models.CharField(_("chain"), max_length=20)
    key = models.BigIntegerField(_("key"), help_text=_("The patient's or the request's id."))
    length = models.PositiveBigIntegerField(_("length"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("chain head")
        verbose_name_plural = _("chain heads")
        constraints = [models.UniqueConstraint(fields=["chain", "key"], name="chain_head_unique")]

    def __str__(self) -> str:
        return f"{self.chain} {self.key}: {self.length}"
