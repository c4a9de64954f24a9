"""The one way a request changes, and the only code that writes its history.

`referral_change` locks the row, checks the action against the lifecycle table (`lifecycle.ACTIONS`),
applies the change, appends the event and the access-log entry, all in one transaction, and hands
back the row as it was locked, before the change. Everything is judged on that locked row, never
on the caller's copy, so a step that waited for another sees what the other did. `event_append` is
the only code that creates a `ReferralEvent`; the model chains each event it saves to its request's
hash chain (audit/chain.py), under the row lock this transaction holds already.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AccessAction
from audit.services import access_record
from referrals.lifecycle import ACTIONS, Action, is_allowed
from referrals.models import Referral, ReferralEvent
from referrals.notifications import queue_notification
from referrals.selectors import referral_roles
from referrals.signals import figures_touched

CONCURRENT_CHANGE = gettext_lazy("Someone else changed the request at the same time. Reload the page.")


class TransitionNotAllowed(Exception):
    """The request is not in a state where this action is possible (someone else got there first)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FollowUp:
    """A further event of the same change, after the action's own (an obstacle raised from a decline)."""

    kind: str
    reason: str = ""
    note: str = ""


@dataclass
class Outcome:
    """What applying an action adds to its event. `unchanged` writes nothing at all (nothing changed)."""

    note: str = ""
    reason: str = ""
    follow_ups: Sequence[FollowUp] = field(default_factory=tuple)
    unchanged: bool = False


Apply = Callable[[Referral, datetime], Outcome | None]

# Taking a request into review makes the taker its handler ("Mina ärenden"), in the same change; its
# event ("taken into review", by whom) says so, so no separate "handler changed" event is written.
TAKES_HANDLER = frozenset({Action.TAKE})


def now(at: datetime | None) -> datetime:
    return at or timezone.now()


def event_append(
    *,
    referral: Referral,
    kind: str,
    by: User,
    at: datetime,
    from_status: str,
    to_status: str,
    reason: str = "",
    note: str = "",
    receiving_unit_id: int | None = None,
    given_by_phone: str = "",
) -> ReferralEvent:
    """Append one entry to a request's history. Called by `referral_change` and by the creation of a request."""
    return ReferralEvent.objects.create(
        referral=referral,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        actor=by,
        at=at,
        reason=reason,
        note=note,
        receiving_unit_id=receiving_unit_id,
        given_by_phone=given_by_phone,
    )


def _lock(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("sending_unit__hospital__region", "diagnosis_group")
        .get(pk=referral.pk)
    )


def _check(action: str, *, by: User, locked: Referral, seen: Referral) -> None:
    transition = ACTIONS[action]
    roles = referral_roles(by, locked)
    if not transition.roles & roles:
        if transition.roles & referral_roles(by, seen):  # the role went with a step taken meanwhile
            raise TransitionNotAllowed(str(CONCURRENT_CHANGE))
        raise PermissionDenied
    if not is_allowed(action, status=locked.status, roles=roles):
        raise TransitionNotAllowed(
            str(transition.refused)
            or _("The request is %(status)s; this step is not possible now.")
            % {"status": locked.get_status_display().lower()}
        )


# What the report's figures of the months gone by read of a request besides its events (reports/
# trend_queries.py, trend_history.py), and its pauses (the waiting-time bands leave out patient-chosen days).
FIGURE_FIELDS = (
    "submitted_at",
    "decision_date",
    "care_guarantee_deadline",
    "care_given_date",
    "diagnosis_group_id",
    "sending_unit_id",
)


def _figure_state(referral: Referral) -> tuple:
    return Referral.objects.filter(pk=referral.pk).annotate(n=Count("pauses")).values_list(*FIGURE_FIELDS, "n").get()


def _tell_figures(before: Referral, state: tuple, when: datetime) -> None:
    """Tell the reports app, in this transaction, the earliest time whose figures the change can alter: its
    events count from their time on (`when`); a change of what the figures read of the request (`state`
    before the change against now: its group, care given, deadline, pauses…) alters every month since the
    submission, where all its figures lie."""
    after = _figure_state(before)
    submitted = after[0]
    since = min(submitted, when) if submitted and after != state else when
    figures_touched.send(sender=Referral, region=before.sending_unit.hospital.region, since=since)


def referral_change(
    *,
    referral: Referral,
    action: str,
    by: User,
    at: datetime | None = None,
    reason: str = "",
    note: str = "",
    values: dict[str, Any] | None = None,
    stamp: str = "",
    apply: Apply | None = None,
    given_by_phone: str = "",
) -> Referral:
    """Apply one action of the lifecycle table to a request; return the row as it was before.

    A step (an action with a target status) moves the status with a conditional UPDATE of `values`
    (and the time, once the lock is held, into the field named by `stamp`). `apply`, if given, then
    runs on the locked row with the time of the change: an edit does its work there, a step what
    must commit or roll back with it (claiming or releasing a capacity slot). `at` records history
    with its real time (imports, the demo); such events notify nobody. `given_by_phone` names who took
    a step recorded for them (an acceptance given by phone).
    """
    transition = ACTIONS[action]
    with transaction.atomic():
        locked = _lock(referral)
        before = copy.copy(locked)
        state = _figure_state(locked)
        when = now(at)
        _check(action, by=by, locked=locked, seen=referral)
        changes = dict(values or {})
        if transition.target is not None:
            changes["status"] = transition.target
            changes["status_changed_at"] = when  # the time in a status is counted from here
            if action in TAKES_HANDLER:
                changes["handler_id"] = by.pk
            if stamp:
                changes[stamp] = when
            updated = Referral.objects.filter(pk=locked.pk, status=locked.status).update(**changes, updated_at=when)
            if updated != 1:  # the row lock makes this rare; the conditional update makes it safe anyway
                raise TransitionNotAllowed(str(CONCURRENT_CHANGE))
        outcome = (apply(locked, when) if apply else None) or Outcome()
        if outcome.unchanged:
            return before
        to_status = transition.target or before.status
        event = event_append(
            referral=before,
            kind=transition.event,
            by=by,
            at=when,
            from_status=before.status,
            to_status=to_status,
            reason=reason or outcome.reason,
            note=note or outcome.note,
            receiving_unit_id=changes.get("receiving_unit_id", before.receiving_unit_id),
            given_by_phone=given_by_phone,
        )
        for follow_up in outcome.follow_ups:
            event_append(
                referral=before,
                kind=follow_up.kind,
                by=by,
                at=when,
                from_status=to_status,
                to_status=to_status,
                reason=follow_up.reason,
                note=follow_up.note,
            )
        access_record(user=by, referral=before, action=AccessAction.CHANGE, what=f"referrals:{action}")
        _tell_figures(before, state, when)
        if transition.target is not None and at is None:
            queue_notification(event)
    return before
