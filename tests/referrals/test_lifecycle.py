"""The transition table, through the one service that applies it: every state × action × role."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from referrals import services
from referrals.lifecycle import EDITS, TRANSITIONS, Action, allowed_actions
from referrals.models import (
    CloseReason,
    DeclineReason,
    EventKind,
    ReferralEvent,
    ReferralStatus,
    WithdrawReason,
)
from referrals.services.handling import referral_handler_take
from tests.factories import DiagnosisGroupFactory, MedicalPriorityFactory, PatientFactory, ReferralFactory

S = ReferralStatus
OPEN = {S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.PROPOSED, S.ACCEPTED}

# Written out independently of referrals.lifecycle: (action, from) -> (to, roles that may).
EXPECTED = {
    (Action.SUBMIT, S.DRAFT): (S.SUBMITTED, {Role.UNIT_STAFF}),
    (Action.TAKE, S.SUBMITTED): (S.IN_REVIEW, {Role.SOT_REPRESENTATIVE}),
    (Action.PROPOSE, S.IN_REVIEW): (S.PROPOSED, {Role.SOT_REPRESENTATIVE}),
    (Action.ACCEPT, S.PROPOSED): (S.ACCEPTED, {Role.RECEIVING_STAFF}),
    (Action.DECLINE, S.PROPOSED): (S.IN_REVIEW, {Role.RECEIVING_STAFF}),
    (Action.COMPLETE, S.ACCEPTED): (S.COMPLETED, {Role.RECEIVING_STAFF}),
    (Action.CLOSE, S.IN_REVIEW): (S.CLOSED, {Role.SOT_REPRESENTATIVE}),
    **{(Action.WITHDRAW, s): (S.WITHDRAWN, {Role.UNIT_STAFF, Role.SOT_REPRESENTATIVE}) for s in OPEN},
}
ROLES = [Role.UNIT_STAFF, Role.SOT_REPRESENTATIVE, Role.RECEIVING_STAFF, Role.HEALTH_DIRECTOR]


def test_table_matches_the_design():
    derived = {}
    for action, transition in TRANSITIONS.items():
        for source in transition.sources:
            derived[(action, source)] = (transition.target, set(transition.roles))
    assert derived == EXPECTED


def _perform(action, referral, user, world):
    today = timezone.localdate()
    calls = {
        Action.SUBMIT: lambda: services.referral_submit(referral=referral, by=user),
        Action.TAKE: lambda: services.referral_take(referral=referral, by=user),
        Action.PROPOSE: lambda: services.referral_propose(
            referral=referral, by=user, unit=world.neighbour_unit, reason="Telefonkontakt: plats finns."
        ),
        Action.ACCEPT: lambda: services.referral_accept(
            referral=referral, by=user, planned_date=today + timedelta(days=7)
        ),
        Action.DECLINE: lambda: services.referral_decline(referral=referral, by=user, reason=DeclineReason.NO_CAPACITY),
        Action.COMPLETE: lambda: services.referral_complete(referral=referral, by=user, care_given_date=today),
        Action.WITHDRAW: lambda: services.referral_withdraw(
            referral=referral, by=user, reason=WithdrawReason.TREATED_AT_HOME
        ),
        Action.CLOSE: lambda: services.referral_close(referral=referral, by=user, reason=CloseReason.NO_RECEIVER),
    }
    return calls[action]()


def _user_with_role(world, role):
    return {
        Role.UNIT_STAFF: world.unit_staff,
        Role.SOT_REPRESENTATIVE: world.sot,
        Role.RECEIVING_STAFF: world.receiving_staff,
        Role.HEALTH_DIRECTOR: world.director,
    }[role]


def _holds_role(role, status) -> bool:
    """Whether the persona holds its role on a request of the home unit: receiving staff only once it is
    proposed to their unit; unit staff and the region's SOT representative always; a director never."""
    if role == Role.RECEIVING_STAFF:
        return status in (S.PROPOSED, S.ACCEPTED, S.COMPLETED)
    return role in (Role.UNIT_STAFF, Role.SOT_REPRESENTATIVE)


def _expected_refusal(action, status, role) -> type[Exception]:
    """A role that may take the action, on a request it holds that role on, is refused for the state alone:
    TransitionNotAllowed (the page says the step is not possible now, the API answers 409). Anyone else
    may never take it on this request: PermissionDenied (403)."""
    may_take = set().union(*(roles for (a, _source), (_target, roles) in EXPECTED.items() if a == action))
    if role in may_take and _holds_role(role, status):
        return services.TransitionNotAllowed
    return PermissionDenied


@pytest.mark.parametrize(
    ("status", "action", "role"),
    list(itertools.product(S.values, list(TRANSITIONS), ROLES)),
)
def test_every_state_action_role(world, status, action, role):
    receiving = world.neighbour_unit if status in (S.PROPOSED, S.ACCEPTED, S.COMPLETED) else None
    referral = ReferralFactory(status=status, sending_unit=world.home_unit, receiving_unit=receiving)
    user = _user_with_role(world, role)
    expected = EXPECTED.get((action, status))
    events_before = ReferralEvent.objects.filter(referral=referral).count()

    if expected and role in expected[1]:
        result = _perform(action, referral, user, world)
        assert result.status == expected[0]
        event = ReferralEvent.objects.filter(referral=referral).latest("id")
        assert (event.from_status, event.to_status, event.actor) == (status, expected[0], user)
    else:
        refusal = _expected_refusal(action, status, role)
        with pytest.raises(refusal) as refused:
            _perform(action, referral, user, world)
        assert type(refused.value) is refusal
        referral.refresh_from_db()
        assert referral.status == status
        assert ReferralEvent.objects.filter(referral=referral).count() == events_before


# The edits of a request that keep its status, written out independently: action -> (states, roles that may).
AFTER_SUBMISSION = {S.SUBMITTED, S.IN_REVIEW, S.PROPOSED, S.ACCEPTED, S.COMPLETED, S.WITHDRAWN, S.CLOSED}
EXPECTED_EDITS = {
    Action.EDIT_DRAFT: ({S.DRAFT}, {Role.UNIT_STAFF}, EventKind.UPDATED),
    Action.CHANGE_PATIENT: (OPEN, {Role.UNIT_STAFF}, EventKind.PATIENT_DETAILS),
    Action.ADD_PAUSE: (OPEN, {Role.UNIT_STAFF}, EventKind.PAUSED),
    Action.RECORD_CONTACT: ({S.PROPOSED, S.ACCEPTED, S.COMPLETED}, {Role.SOT_REPRESENTATIVE}, EventKind.CONTACT),
    Action.RAISE_OBSTACLE: (AFTER_SUBMISSION, {Role.SOT_REPRESENTATIVE}, EventKind.OBSTACLE),
    Action.CORRECT_GROUP: (AFTER_SUBMISSION, {Role.SOT_REPRESENTATIVE}, EventKind.GROUP_CORRECTED),
    Action.ASSIGN_HANDLER: (
        {S.SUBMITTED, S.IN_REVIEW, S.PROPOSED, S.ACCEPTED},
        {Role.SOT_REPRESENTATIVE},
        EventKind.HANDLER_CHANGED,
    ),
}


def test_edit_table_matches_the_design():
    derived = {action: (set(edit.sources), set(edit.roles), edit.event) for action, edit in EDITS.items()}
    assert derived == EXPECTED_EDITS
    assert all(edit.target is None for edit in EDITS.values())


def _edit(action, referral, user, world):
    today = timezone.localdate()
    calls = {
        Action.EDIT_DRAFT: lambda: services.referral_update_draft(
            referral=referral, by=user, patient=referral.patient, procedure_text="Knäprotes"
        ),
        Action.CHANGE_PATIENT: lambda: services.referral_change_patient_details(
            referral=referral,
            by=user,
            patient_name="Ny Namnsson",
            patient_phone="",
            patient_home_region=world.home_region,
        ),
        Action.ADD_PAUSE: lambda: services.wait_pause_add(
            referral=referral, by=user, kind="pvv", start_date=today, end_date=today + timedelta(days=3)
        ),
        Action.RECORD_CONTACT: lambda: services.contact_record(
            referral=referral,
            by=user,
            sending_person="Sara",
            receiving_person="Jonas",
            contacted_at=timezone.now(),
        ),
        Action.RAISE_OBSTACLE: lambda: services.obstacle_record(
            by=user, category="it", text="Journalerna kan inte delas.", region=world.home_region, referral=referral
        ),
        Action.CORRECT_GROUP: lambda: services.referral_correct_group(
            referral=referral,
            by=user,
            diagnosis_group=DiagnosisGroupFactory(code="hand", name="Handkirurgi", ranges=[]),
        ),
        Action.ASSIGN_HANDLER: lambda: referral_handler_take(referral=referral, by=user),
    }
    return calls[action]()


@pytest.mark.parametrize(("status", "action", "role"), list(itertools.product(S.values, list(EDITS), ROLES)))
def test_every_state_edit_role(world, status, action, role):
    """Each edit is allowed exactly where the table says, writes one event of its kind, and keeps the status."""
    receiving = world.neighbour_unit if status in (S.PROPOSED, S.ACCEPTED, S.COMPLETED) else None
    referral = ReferralFactory(status=status, sending_unit=world.home_unit, receiving_unit=receiving)
    user = _user_with_role(world, role)
    states, roles, kind = EXPECTED_EDITS[action]
    events_before = ReferralEvent.objects.filter(referral=referral).count()
    if status in states and role in roles:
        _edit(action, referral, user, world)
        referral.refresh_from_db()
        assert referral.status == status
        event = ReferralEvent.objects.filter(referral=referral).latest("id")
        assert (event.kind, event.from_status, event.to_status, event.actor) == (kind, status, status, user)
        assert ReferralEvent.objects.filter(referral=referral).count() == events_before + 1
    else:
        expected_error = services.TransitionNotAllowed if role in roles else PermissionDenied
        with pytest.raises(expected_error):
            _edit(action, referral, user, world)
        referral.refresh_from_db()
        assert referral.status == status
        assert ReferralEvent.objects.filter(referral=referral).count() == events_before


def test_a_role_elsewhere_does_not_count(world):
    """An SOT representative of another region holds no role on this request."""
    referral = ReferralFactory(status=S.SUBMITTED, sending_unit=world.home_unit)
    with pytest.raises(PermissionDenied):
        services.referral_take(referral=referral, by=world.other_sot)


def test_full_path_writes_one_event_per_step(world):
    DiagnosisGroupFactory()
    referral = services.referral_create(
        by=world.unit_staff,
        sending_unit=world.home_unit,
        patient=PatientFactory(),
        patient_name="Tolvan Tolvansson",
        patient_home_region=world.home_region,
        icd10_code="M17.1",
        priority=MedicalPriorityFactory(),
        asa_class=3,
        decision_date=timezone.localdate() - timedelta(days=20),
        consent_referral=True,
        consent_disclosure=True,
    )
    assert referral.reference.startswith(f"SOT-{timezone.localdate().year}-")
    assert referral.diagnosis_group is not None and referral.decision_date is not None
    assert referral.diagnosis_group.code == "artros"  # mapped from M17 by the code ranges
    assert referral.medical_target_date == referral.decision_date + timedelta(days=14)  # from the priority
    assert referral.care_guarantee_deadline == referral.decision_date + timedelta(days=90)
    services.referral_submit(referral=referral, by=world.unit_staff)
    services.referral_take(referral=referral, by=world.sot)
    services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit, reason="Har plats.")
    services.referral_decline(referral=referral, by=world.receiving_staff, reason=DeclineReason.NO_CAPACITY)
    referral.refresh_from_db()
    assert referral.status == S.IN_REVIEW and referral.receiving_unit is None  # a decline releases the unit
    services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit, reason="Har plats.")
    services.referral_accept(
        referral=referral, by=world.receiving_staff, planned_date=timezone.localdate() + timedelta(days=5)
    )
    services.referral_complete(referral=referral, by=world.receiving_staff, care_given_date=timezone.localdate())
    kinds = list(referral.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.CREATED,
        EventKind.SUBMITTED,
        EventKind.TAKEN,
        EventKind.PROPOSED,
        EventKind.DECLINED,
        EventKind.PROPOSED,
        EventKind.ACCEPTED,
        EventKind.COMPLETED,
    ]
    declined = referral.events.get(kind=EventKind.DECLINED)
    assert declined.reason == DeclineReason.NO_CAPACITY
    assert declined.receiving_unit is None


def test_submit_lists_what_is_missing(world):
    referral = ReferralFactory(
        status=S.DRAFT,
        sending_unit=world.home_unit,
        consent_disclosure=False,
        priority=None,
        medical_target_date=None,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.referral_submit(referral=referral, by=world.unit_staff)
    assert set(excinfo.value.message_dict) == {"consent_disclosure", "priority", "medical_target_date"}
    referral.refresh_from_db()
    assert referral.status == S.DRAFT


def test_propose_within_the_sending_region_is_refused(world):
    referral = ReferralFactory(status=S.IN_REVIEW, sending_unit=world.home_unit)
    with pytest.raises(ValidationError):
        services.referral_propose(referral=referral, by=world.sot, unit=world.home_unit)


def test_reasons_must_come_from_the_list(world):
    referral = ReferralFactory(status=S.IN_REVIEW, sending_unit=world.home_unit)
    with pytest.raises(ValidationError):
        services.referral_close(referral=referral, by=world.sot, reason="because")


def test_only_staff_of_the_unit_can_open_a_draft(world):
    patient = PatientFactory()
    with pytest.raises(PermissionDenied):
        services.referral_create(by=world.other_region_staff, sending_unit=world.home_unit, patient=patient)


def test_allowed_actions_for_buttons():
    assert allowed_actions(status=S.PROPOSED, roles={Role.RECEIVING_STAFF}) == [Action.ACCEPT, Action.DECLINE]
    assert allowed_actions(status=S.COMPLETED, roles=set(ROLES)) == []


def test_only_the_history_module_writes_a_request_event():
    """One writer of a request's history: no other project code creates a ReferralEvent."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writers = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.startswith((".venv/", "tests/")) or "/migrations/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                text = ast.unparse(node.func)
                if text in ("ReferralEvent", "ReferralEvent.objects.create", "ReferralEvent.objects.bulk_create"):
                    writers.append(f"{relative}:{node.lineno}")
    assert len(writers) == 1 and writers[0].startswith("referrals/services/history.py:"), writers
