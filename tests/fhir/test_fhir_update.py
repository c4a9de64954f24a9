"""Task update: the receiving unit's staff accept or decline by updating the unit's Task (PUT of the whole
Task), through the same services as the pages and the REST API; versions as meta.versionId and weak
ETags, If-Match refused with 412 when stale; every refusal an OperationOutcome that changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from audit.models import AccessLogEntry
from capacity.weeks import first_open_week
from referrals import services
from referrals.models import Referral, ReferralEvent
from referrals.models import ReferralStatus as S
from referrals.services.handling import referral_handler_take
from tests.factories import CapacityOfferFactory, ReferralFactory
from tests.fhir.conftest import FHIR, fhir_client
from tests.fhir.test_fhir_models import parse


@pytest.fixture
def proposed(world, reference_data) -> Referral:
    group, _priority = reference_data
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.IN_REVIEW, diagnosis_group=group)
    services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit, reason="Närmast")
    referral.refresh_from_db()
    return referral


def unit_task_id(referral: Referral) -> str:
    proposal = ReferralEvent.objects.filter(referral=referral, kind="proposed").latest("at")
    return f"proposal-{proposal.pk}"


def read(client: Any, path: str) -> tuple[dict[str, Any], str]:
    response = client.get(f"{FHIR}/{path}")
    assert response.status_code == 200, response.content
    return response.json(), response["ETag"]


def put(client: Any, task: dict[str, Any], **headers: str) -> Any:
    return client.put(f"{FHIR}/Task/{task['id']}", task, format="json", **headers)


def accepting(task: dict[str, Any], planned: str | None) -> dict[str, Any]:
    changed = {**task, "status": "accepted"}
    changed.pop("meta", None)
    if planned is not None:
        changed["restriction"] = {**task.get("restriction", {}), "period": {"start": planned}}
    changed["input"] = [
        {"type": {"coding": [{"code": "care-form"}]}, "valueCode": "day_surgery"},
        {"type": {"coding": [{"code": "confirm-late"}]}, "valueBoolean": True},
    ]
    changed["note"] = [{"text": "Vi tar emot patienten."}]
    return changed


def in_a_week() -> str:
    return (timezone.localdate() + timedelta(days=7)).isoformat()


@pytest.mark.django_db(transaction=True)
def test_accept_by_updating_the_unit_task(world, proposed):
    receiver = fhir_client(world.receiving_staff)
    task_id = unit_task_id(proposed)
    task, tag = read(receiver, f"Task/{task_id}")
    assert tag == f'W/"{task["meta"]["versionId"]}"'
    parse(task)
    sent = accepting(task, in_a_week())
    parse(sent)
    response = put(receiver, sent, HTTP_IF_MATCH=tag)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert response["ETag"] != tag
    parse(response.json())
    proposed.refresh_from_db()
    assert proposed.status == S.ACCEPTED
    assert proposed.planned_date.isoformat() == in_a_week()
    assert ReferralEvent.objects.filter(referral=proposed, kind="accepted", note="Vi tar emot patienten.").exists()
    sender = fhir_client(world.sot)
    request, _tag = read(sender, f"ServiceRequest/{proposed.pk}")
    coordination, _tag = read(sender, f"Task/coordination-{proposed.pk}")
    unit_task, _tag = read(receiver, f"Task/{task_id}")
    assert (request["status"], coordination["status"], unit_task["status"]) == ("active", "accepted", "accepted")
    assert request["performer"][0]["reference"] == f"Organization/unit-{world.neighbour_unit.pk}"
    assert AccessLogEntry.objects.filter(referral=proposed, user=world.receiving_staff, what="fhir:Task").exists()
    again = put(receiver, sent)  # the Task is no longer open: nothing happens twice
    assert again.status_code == 422, again.content
    assert ReferralEvent.objects.filter(referral=proposed, kind="accepted").count() == 1


def test_accept_reserves_the_slot_named_in_the_input(world, proposed, reference_data):
    group, _priority = reference_data
    week = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    offer = CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=group, week_start=week)
    receiver = fhir_client(world.receiving_staff)
    task, _tag = read(receiver, f"Task/{unit_task_id(proposed)}")
    sent = accepting(task, (week + timedelta(days=1)).isoformat())
    sent["input"] = [
        {"type": {"coding": [{"code": "offer"}]}, "valueReference": {"reference": f"Slot/{offer.pk}"}},
        {"type": {"coding": [{"code": "confirm-late"}]}, "valueBoolean": True},
    ]
    parse(sent)
    response = put(receiver, sent)
    assert response.status_code == 200, response.content
    offer.refresh_from_db()
    proposed.refresh_from_db()
    assert (offer.reserved_slots, proposed.reserved_offer_id) == (1, offer.pk)


def test_decline_with_a_reason(world, proposed):
    receiver = fhir_client(world.receiving_staff)
    task, _tag = read(receiver, f"Task/{unit_task_id(proposed)}")
    sent = {**task, "status": "rejected", "statusReason": {"coding": [{"code": "no_capacity"}]}}
    response = put(receiver, sent)
    assert response.status_code == 200, response.content
    assert response.json()["resourceType"] == "OperationOutcome"
    parse(response.json())
    proposed.refresh_from_db()
    assert (proposed.status, proposed.receiving_unit) == (S.IN_REVIEW, None)
    declined, _tag = read(fhir_client(world.sot), f"Task/{task['id']}")
    assert (declined["status"], declined["statusReason"]["coding"][0]["code"]) == ("rejected", "no_capacity")
    assert receiver.get(f"{FHIR}/Task/{task['id']}").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("sot", 403), ("other_sot", 403), ("unit_staff", 403), ("other_region_staff", 404), ("director", 404)],
)
def test_only_the_owner_updates(world, proposed, persona, status):
    task, _tag = read(fhir_client(world.receiving_staff), f"Task/{unit_task_id(proposed)}")
    response = put(fhir_client(getattr(world, persona)), accepting(task, in_a_week()))
    assert response.status_code == status, response.content
    assert response.json()["resourceType"] == "OperationOutcome"
    proposed.refresh_from_db()
    assert proposed.status == S.PROPOSED


def test_anonymous_is_401(world, proposed):
    task_id = unit_task_id(proposed)
    response = fhir_client().put(f"{FHIR}/Task/{task_id}", {"resourceType": "Task", "id": task_id}, format="json")
    assert response.status_code == 401


def test_the_coordination_task_is_refused_for_the_sending_side(world, proposed):
    sender = fhir_client(world.sot)
    task, _tag = read(sender, f"Task/coordination-{proposed.pk}")
    response = put(sender, {**task, "businessStatus": {"text": "x"}})
    assert response.status_code == 422
    assert response.json()["issue"][0]["code"] == "business-rule"


def test_a_stale_version_is_412_and_changes_nothing(world, proposed):
    receiver = fhir_client(world.receiving_staff)
    task, tag = read(receiver, f"Task/{unit_task_id(proposed)}")
    referral_handler_take(referral=proposed, by=world.sot)  # a change by another since the read
    _task, current = read(receiver, f"Task/{task['id']}")
    assert current != tag
    response = put(receiver, accepting(task, in_a_week()), HTTP_IF_MATCH=tag)
    assert response.status_code == 412
    assert response.json()["issue"][0]["code"] == "conflict"
    proposed.refresh_from_db()
    assert proposed.status == S.PROPOSED
    assert put(receiver, accepting(task, in_a_week()), HTTP_IF_MATCH=current).status_code == 200


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("{not json", 400),
        ('{"resourceType": "ServiceRequest"}', 400),
        ("[]", 400),
        ('{"resourceType": "Task"}', 400),
        ('{"resourceType": "Task", "id": "proposal-0", "status": "accepted"}', 400),
    ],
)
def test_malformed_bodies_are_400(world, proposed, body, status):
    task_id = unit_task_id(proposed)
    client = fhir_client(world.receiving_staff)
    response = client.put(f"{FHIR}/Task/{task_id}", body, content_type="application/fhir+json")
    assert response.status_code == status, response.content
    assert response.json()["resourceType"] == "OperationOutcome"
    parse(response.json())
    proposed.refresh_from_db()
    assert proposed.status == S.PROPOSED


def test_rules_broken_are_422_and_store_nothing(world, proposed):
    receiver = fhir_client(world.receiving_staff)
    task, _tag = read(receiver, f"Task/{unit_task_id(proposed)}")
    events = ReferralEvent.objects.filter(referral=proposed).count()
    cases = [
        (accepting(task, None), "Task.restriction.period.start"),
        (accepting(task, "2001-01-01"), "Task.restriction.period.start"),
        ({**task, "status": "rejected"}, "Task.statusReason"),
        ({**task, "status": "rejected", "statusReason": {"coding": [{"code": "nonsense"}]}}, "Task.statusReason"),
        ({**task, "status": "completed"}, "Task.status"),
    ]
    for sent, expression in cases:
        response = put(receiver, sent)
        assert response.status_code == 422, (sent["status"], response.content)
        assert response.json()["issue"][0]["expression"] == [expression], response.json()
        parse(response.json())
    proposed.refresh_from_db()
    assert proposed.status == S.PROPOSED and proposed.planned_date is None
    assert ReferralEvent.objects.filter(referral=proposed).count() == events


def test_service_request_read_is_versioned(world, proposed):
    client = fhir_client(world.sot)
    body, tag = read(client, f"ServiceRequest/{proposed.pk}")
    assert tag == f'W/"{body["meta"]["versionId"]}"'
    _again, tag_again = read(client, f"ServiceRequest/{proposed.pk}")
    assert tag_again == tag  # reading writes no version
    assert ReferralEvent.objects.filter(referral=proposed).count() == int(body["meta"]["versionId"])


def test_vread_serves_the_current_version_only(world, proposed):
    receiver = fhir_client(world.receiving_staff)
    task_id = unit_task_id(proposed)
    task, tag = read(receiver, f"Task/{task_id}")
    number = task["meta"]["versionId"]
    current, current_tag = read(receiver, f"Task/{task_id}/_history/{number}")
    assert (current, current_tag) == (task, tag)
    parse(current)
    older = receiver.get(f"{FHIR}/Task/{task_id}/_history/{int(number) - 1}")
    assert older.status_code == 404 and older.json()["resourceType"] == "OperationOutcome"
    # Outside the caller's sight, the current version is a 404 as well.
    assert fhir_client(world.other_region_staff).get(f"{FHIR}/Task/{task_id}/_history/{number}").status_code == 404
    request, _tag = read(receiver, f"ServiceRequest/{proposed.pk}")
    assert read(receiver, f"ServiceRequest/{proposed.pk}/_history/{request['meta']['versionId']}")[0] == request
