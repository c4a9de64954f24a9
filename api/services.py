from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from api.models import ApiToken, hash_token

if TYPE_CHECKING:
    from accounts.models import User

MAX_DAYS = 365


def token_create(*, user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token; the raw value is returned once and never stored."""
    raw = "sot_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:12],
        key_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=max(1, min(days, MAX_DAYS))),
    )
    return token, raw


def token_revoke(*, token: ApiToken, by: User) -> None:
    if token.user_id != by.pk:
        raise PermissionDenied
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
