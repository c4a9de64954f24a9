"""The transactional outbox: an e-mail is a row written in the same transaction as the change it tells
about, and a worker delivers it afterwards, retrying until the mail server takes it.

So a change that commits always gets its message (even when the broker or the mail server is down at
that moment), a change that rolls back never does, and no page waits on the broker or the mail server.
Messages carry a reference and a link, never personal data (referrals.notifications writes them).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    topic = models.CharField(
        _("about"), max_length=80, help_text=_("What the message tells about, by id (never personal data).")
    )
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        constraints = [
            # Written twice for the same event (a retried transaction), it is still sent once.
            models.UniqueConstraint(fields=["topic", "recipient"], name="outbox_once_per_topic_and_recipient"),
            models.CheckConstraint(condition=Q(sent_at__isnull=True) | Q(attempts__gte=1), name="outbox_sent_tried"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True), name="outbox_due"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} → {self.recipient}"
