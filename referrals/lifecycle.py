"""The lifecycle of a coordination request: the one table of allowed transitions and who may make them.

    draft ─submit─▶ submitted ─take─▶ in_review ─propose─▶ proposed ─accept─▶ accepted ─complete─▶ completed
                                          ▲                    │
                                          └──────decline───────┘
    any open state ─withdraw─▶ withdrawn          in_review ─close─▶ closed_without_coordination

Roles here are roles *on the request*: unit staff of its sending unit, SOT representatives of
its sending region, staff of the receiving unit it is proposed to (see selectors.referral_roles).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from referrals.models import OPEN_STATUSES, EventKind, ReferralStatus

S = ReferralStatus


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    TAKE = "take", _("Take into review")
    PROPOSE = "propose", _("Propose a receiving unit")
    ACCEPT = "accept", _("Accept")
    DECLINE = "decline", _("Decline")
    COMPLETE = "complete", _("Mark care as given")
    WITHDRAW = "withdraw", _("Withdraw")
    CLOSE = "close", _("Close without coordination")


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    event: str


def _t(sources, target, roles, event) -> Transition:
    return Transition(frozenset(sources), target, frozenset(roles), event)


TRANSITIONS: dict[str, Transition] = {
    Action.SUBMIT: _t({S.DRAFT}, S.SUBMITTED, {Role.UNIT_STAFF}, EventKind.SUBMITTED),
    Action.TAKE: _t({S.SUBMITTED}, S.IN_REVIEW, {Role.SOT_REPRESENTATIVE}, EventKind.TAKEN),
    Action.PROPOSE: _t({S.IN_REVIEW}, S.PROPOSED, {Role.SOT_REPRESENTATIVE}, EventKind.PROPOSED),
    Action.ACCEPT: _t({S.PROPOSED}, S.ACCEPTED, {Role.RECEIVING_STAFF}, EventKind.ACCEPTED),
    Action.DECLINE: _t({S.PROPOSED}, S.IN_REVIEW, {Role.RECEIVING_STAFF}, EventKind.DECLINED),
    Action.COMPLETE: _t({S.ACCEPTED}, S.COMPLETED, {Role.RECEIVING_STAFF}, EventKind.COMPLETED),
    Action.WITHDRAW: _t(OPEN_STATUSES, S.WITHDRAWN, {Role.UNIT_STAFF, Role.SOT_REPRESENTATIVE}, EventKind.WITHDRAWN),
    Action.CLOSE: _t({S.IN_REVIEW}, S.CLOSED, {Role.SOT_REPRESENTATIVE}, EventKind.CLOSED),
}


def is_allowed(action: str, *, status: str, roles: frozenset[str] | set[str]) -> bool:
    transition = TRANSITIONS[action]
    return status in transition.sources and bool(transition.roles & set(roles))


def allowed_actions(*, status: str, roles: frozenset[str] | set[str]) -> list[str]:
    """The actions a user holding `roles` on a request in `status` may take, in table order."""
    return [action for action in TRANSITIONS if is_allowed(action, status=status, roles=roles)]
