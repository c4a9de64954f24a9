"""Who handles a request in SOT ("Mina ärenden"): an SOT representative of the sending region takes it
on ("Ta ärendet", taking it over from a colleague if need be) or releases it ("Släpp ärendet").
Both go through `history.referral_change` as the edit `Action.ASSIGN_HANDLER`, with an event."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy

from accounts.models import User
from referrals.lifecycle import Action
from referrals.models import HandlerChange, Referral
from referrals.services.history import Outcome, TransitionNotAllowed, referral_change

# Messages that tests check (by constant).
ERROR_NOT_YOUR_REQUEST = gettext_lazy("Someone else handles the request now; it is not yours to release.")


def referral_handler_take(*, referral: Referral, by: User, at: datetime | None = None) -> Referral:
    """Make `by` the request's handler. Taking a request one already handles changes nothing."""

    def apply(locked: Referral, when: datetime) -> Outcome:
        if locked.handler_id == by.pk:
            return Outcome(unchanged=True)
        Referral.objects.filter(pk=locked.pk).update(handler=by, updated_at=when)
        return Outcome(reason=HandlerChange.TAKEN)

    referral_change(referral=referral, action=Action.ASSIGN_HANDLER, by=by, at=at, apply=apply)
    referral.refresh_from_db()
    return referral


def referral_handler_release(*, referral: Referral, by: User, at: datetime | None = None) -> Referral:
    """Let the request go: it has no handler until someone takes it on. Only its handler may."""

    def apply(locked: Referral, when: datetime) -> Outcome:
        if locked.handler_id is None:
            return Outcome(unchanged=True)
        if locked.handler_id != by.pk:
            raise TransitionNotAllowed(str(ERROR_NOT_YOUR_REQUEST))
        Referral.objects.filter(pk=locked.pk).update(handler=None, updated_at=when)
        return Outcome(reason=HandlerChange.RELEASED)

    referral_change(referral=referral, action=Action.ASSIGN_HANDLER, by=by, at=at, apply=apply)
    referral.refresh_from_db()
    return referral
