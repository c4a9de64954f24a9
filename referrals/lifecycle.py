"""The lifecycle of a coordination request: the one table of allowed transitions and who may make them.

    draft ─submit─▶ submitted ─take─▶ in_review ─propose─▶ proposed ─accept─▶ accepted ─complete─▶ completed
                                          ▲                    │
                                          └──────decline───────┘
    any open state ─withdraw─▶ withdrawn          in_review ─close─▶ closed_without_coordination

Roles here are roles *on the request*: unit staff of its sending unit, SOT representatives of
its sending region, staff of the receiving unit it is proposed to (see selectors.referral_roles).

Besides the steps that move the status (TRANSITIONS), the table holds every other change a request
may undergo without moving it (EDITS: edit a draft, change the patient's details, add a pause, record
contact, raise an obstacle, correct the diagnosis group), and RECORDED_STEPS, a step another role took
outside SOT that the SOT representative records (an acceptance given by phone). ACTIONS is all three:
the one table that decides what a page offers, what a service allows and what the API answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from referrals.models import OPEN_STATUSES, EventKind, ReferralStatus

S = ReferralStatus


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    TAKE = "take", _("Take into review")
    PROPOSE = "propose", _("Propose a receiving unit")
    ACCEPT = "accept", _("Accept")
    ACCEPT_BY_PHONE = "accept_by_phone", _("Record an acceptance given by phone")
    DECLINE = "decline", _("Decline")
    COMPLETE = "complete", _("Mark care as given")
    WITHDRAW = "withdraw", _("Withdraw")
    CLOSE = "close", _("Close without coordination")
    EDIT_DRAFT = "edit", _("Edit the draft")
    CHANGE_PATIENT = "patient_details", _("Change the patient's details")
    ADD_PAUSE = "pause_add", _("Record paused waiting")
    RECORD_CONTACT = "contact", _("Record contact between the units")
    RAISE_OBSTACLE = "obstacle", _("Raise an obstacle to cooperation")
    CORRECT_GROUP = "correct_group", _("Correct the diagnosis group")
    ASSIGN_HANDLER = "handler", _("Take on or release the request")


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the status stays (an edit, not a step)
    roles: frozenset[str]
    event: str
    refused: Promise | str = ""  # what the user is told when the request is in no state for it


def _t(
    sources: set[str] | tuple[str, ...], target: str | None, roles: set[str], event: str, refused: Promise | str = ""
) -> Transition:
    return Transition(frozenset(sources), target, frozenset(roles), event, refused)


TRANSITIONS: dict[str, Transition] = {
    Action.SUBMIT: _t({S.DRAFT}, S.SUBMITTED, {Role.UNIT_STAFF}, EventKind.SUBMITTED),
    Action.TAKE: _t({S.SUBMITTED}, S.IN_REVIEW, {Role.SOT_REPRESENTATIVE}, EventKind.TAKEN),
    Action.PROPOSE: _t({S.IN_REVIEW}, S.PROPOSED, {Role.SOT_REPRESENTATIVE}, EventKind.PROPOSED),
    Action.ACCEPT: _t({S.PROPOSED}, S.ACCEPTED, {Role.RECEIVING_STAFF}, EventKind.ACCEPTED),
    Action.DECLINE: _t({S.PROPOSED}, S.IN_REVIEW, {Role.RECEIVING_STAFF}, EventKind.DECLINED),
    Action.COMPLETE: _t({S.ACCEPTED}, S.COMPLETED, {Role.RECEIVING_STAFF}, EventKind.COMPLETED),
    Action.WITHDRAW: _t(
        OPEN_STATUSES,
        S.WITHDRAWN,
        {Role.UNIT_STAFF, Role.SOT_REPRESENTATIVE},
        EventKind.WITHDRAWN,
        _("The request can no longer be withdrawn."),
    ),
    Action.CLOSE: _t({S.IN_REVIEW}, S.CLOSED, {Role.SOT_REPRESENTATIVE}, EventKind.CLOSED),
}

# Steps of the design that their role took outside SOT and that the SOT representative records for them:
# the receiving unit accepted on the phone. The same step (same event, same slot reservation), another
# hand; apart from TRANSITIONS so that each of the design's steps keeps one row there.
RECORDED_STEPS: dict[str, Transition] = {
    Action.ACCEPT_BY_PHONE: _t({S.PROPOSED}, S.ACCEPTED, {Role.SOT_REPRESENTATIVE}, EventKind.ACCEPTED),
}

AFTER_SUBMISSION = (S.SUBMITTED, S.IN_REVIEW, S.PROPOSED, S.ACCEPTED, S.COMPLETED, S.WITHDRAWN, S.CLOSED)
WITH_RECEIVING_UNIT = (S.PROPOSED, S.ACCEPTED, S.COMPLETED)

EDITS: dict[str, Transition] = {
    Action.EDIT_DRAFT: _t({S.DRAFT}, None, {Role.UNIT_STAFF}, EventKind.UPDATED, _("Only a draft can be edited.")),
    Action.CHANGE_PATIENT: _t(
        OPEN_STATUSES,
        None,
        {Role.UNIT_STAFF},
        EventKind.PATIENT_DETAILS,
        _("The request is closed; its patient details can no longer change."),
    ),
    Action.ADD_PAUSE: _t(
        OPEN_STATUSES,
        None,
        {Role.UNIT_STAFF},
        EventKind.PAUSED,
        _("The request is closed; its waiting time can no longer change."),
    ),
    Action.RECORD_CONTACT: _t(
        WITH_RECEIVING_UNIT,
        None,
        {Role.SOT_REPRESENTATIVE},
        EventKind.CONTACT,
        _("Contact can be recorded once a receiving unit has been proposed."),
    ),
    # Raised from a decline or a closing (inside those steps) or on its own by the region's SOT representative.
    Action.RAISE_OBSTACLE: _t(AFTER_SUBMISSION, None, {Role.SOT_REPRESENTATIVE}, EventKind.OBSTACLE),
    # The report counts by group; a withdrawn draft never had one to correct (the service checks submitted_at).
    Action.CORRECT_GROUP: _t(
        AFTER_SUBMISSION,
        None,
        {Role.SOT_REPRESENTATIVE},
        EventKind.GROUP_CORRECTED,
        _("The diagnosis group of a draft follows its ICD-10 code."),
    ),
    # "Ta ärendet" / "Släpp ärendet": an SOT representative of the sending region, while SOT works it.
    Action.ASSIGN_HANDLER: _t(
        (S.SUBMITTED, S.IN_REVIEW, S.PROPOSED, S.ACCEPTED),
        None,
        {Role.SOT_REPRESENTATIVE},
        EventKind.HANDLER_CHANGED,
        _("The request is finished; it has no handler to change."),
    ),
}

ACTIONS: dict[str, Transition] = {**TRANSITIONS, **RECORDED_STEPS, **EDITS}


def is_allowed(action: str, *, status: str, roles: frozenset[str] | set[str]) -> bool:
    transition = ACTIONS[action]
    return status in transition.sources and bool(transition.roles & set(roles))


def allowed_actions(*, status: str, roles: frozenset[str] | set[str]) -> list[str]:
    """The lifecycle steps a user holding `roles` on a request in `status` may take, in table order."""
    return [action for action in TRANSITIONS if is_allowed(action, status=status, roles=roles)]


def actions_offered(*, status: str, roles: frozenset[str] | set[str]) -> frozenset[str]:
    """Every action of the table, step or edit, that a user holding `roles` may take on a request in `status`."""
    return frozenset(action for action in ACTIONS if is_allowed(action, status=status, roles=roles))
