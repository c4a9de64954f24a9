"""Claiming a form token or an Idempotency-Key, recording the first answer, releasing a failed claim.

The first of concurrent identical requests is the one whose INSERT the database accepts; the unique
constraints on Claim make that decision, not a read followed by a write. The others wait briefly for
the first to answer and then answer the same.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from idempotency.models import Channel, Claim, expiry_cutoff

FIRST_POLL_SECONDS = 0.02
MAX_POLL_SECONDS = 0.25
MAX_VANISHED = 5


@dataclass(frozen=True)
class Submission:
    """What identifies one submission: who sent it, under which token or key, and what it said."""

    channel: str
    user_id: int
    key: str
    method: str
    path: str
    fingerprint: str


def fingerprint(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))  # length-prefixed: no two part lists hash alike
        digest.update(data)
    return digest.hexdigest()


def _same_claim(submission: Submission) -> QuerySet[Claim]:
    claims = Claim.objects.filter(channel=submission.channel, user_id=submission.user_id, key=submission.key)
    if submission.channel == Channel.FORM:
        # A form token is claimed once per distinct content: a changed form is a new submission.
        claims = claims.filter(fingerprint=submission.fingerprint)
    return claims


def _insert(submission: Submission) -> Claim:
    with transaction.atomic():  # a savepoint when called inside a transaction (tests)
        return Claim.objects.create(
            channel=submission.channel,
            user_id=submission.user_id,
            key=submission.key,
            fingerprint=submission.fingerprint,
            method=submission.method,
            path=submission.path,
        )


def claim_or_wait(submission: Submission, *, wait: float | None = None) -> tuple[Claim, bool]:
    """Claim the submission, or find the claim that came first.

    Returns (claim, True) when this request is the first and must run; (claim, False) with the first
    request's claim otherwise: finished (answer as it did), still running after `wait` seconds, or
    (API keys only) made for another request than this one (its fingerprint differs).
    A claim released while we waited (the first request failed) is claimed anew, so this request runs.
    """
    deadline = time.monotonic() + (settings.IDEMPOTENCY_WAIT_SECONDS if wait is None else wait)
    pause = FIRST_POLL_SECONDS
    vanished = 0
    while True:
        try:
            return _insert(submission), True
        except IntegrityError:
            first = _same_claim(submission).first()
            if first is None:
                vanished += 1
                if vanished > MAX_VANISHED:
                    raise  # not our unique constraint: a real error
                continue  # released between our INSERT and our SELECT: try again
        if first.created_at < expiry_cutoff():
            # An expired claim counts as never made; a conditional delete, so only one waiter removes it.
            Claim.objects.filter(pk=first.pk, created_at=first.created_at).delete()
            continue
        if first.is_finished or first.fingerprint != submission.fingerprint or time.monotonic() >= deadline:
            return first, False
        time.sleep(pause)
        pause = min(pause * 2, MAX_POLL_SECONDS)


def claim_finish(claim: Claim, *, status_code: int, **answer: Any) -> None:
    """Record the first request's answer; later identical requests give it too."""
    Claim.objects.filter(pk=claim.pk).update(finished_at=timezone.now(), status_code=status_code, **answer)


def claim_release(claim: Claim) -> None:
    """Forget a claim whose request changed nothing (errors shown, refused): the token or key is free again."""
    Claim.objects.filter(pk=claim.pk).delete()


def claims_purge(*, before: datetime | None = None) -> int:
    """Delete expired claims (with the API answers they hold); returns how many."""
    deleted, _by_model = Claim.objects.filter(created_at__lt=before or expiry_cutoff()).delete()
    return deleted
