"""Claims on form tokens and Idempotency-Key headers: one row per submission that ran.

The database decides who is first: a claim is an INSERT under a unique constraint, so of twenty
identical requests arriving at once exactly one inserts its row and runs; the others find the row
and answer from it. A claim that did not lead to a change (a form shown again with errors, an API
error) is deleted again, so the same token or key can be used once the input is corrected.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    FORM = "form", _("Form token")
    API = "api", _("Idempotency-Key header")


class Claim(models.Model):
    channel = models.CharField(max_length=4, choices=Channel.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255, help_text=_("The form token or the Idempotency-Key."))
    # What was sent: method, path, query and body, hashed. A form token is claimed once per distinct
    # submission; an API key once, and sent again with another request it is refused.
    fingerprint = models.CharField(max_length=64)
    method = models.CharField(max_length=10)
    path = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Set together when the first request has answered; until then it is still running.
    finished_at = models.DateTimeField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # A page's answer: where it sent the browser and the messages it showed there.
    location = models.TextField(blank=True)
    messages = models.JSONField(default=list, blank=True)
    # An API answer as sent: its content type and body. Kept no longer than IDEMPOTENCY_TTL_HOURS.
    content_type = models.TextField(blank=True)
    body = models.BinaryField(default=b"", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "fingerprint"], condition=Q(channel="form"), name="idempotency_form_once"
            ),
            models.UniqueConstraint(fields=["user", "key"], condition=Q(channel="api"), name="idempotency_api_once"),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True, status_code__isnull=True)
                | Q(finished_at__isnull=False, status_code__isnull=False),
                name="idempotency_finished_with_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.method} {self.path}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def is_expired(self) -> bool:
        return self.created_at < expiry_cutoff()


def expiry_cutoff() -> datetime:
    """Claims created before this have expired: their token or key counts as never used."""
    return timezone.now() - settings.IDEMPOTENCY_TTL
