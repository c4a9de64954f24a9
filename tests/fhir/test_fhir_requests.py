"""ServiceRequest, Patient and Task through FHIR: the mapping, the searches, paging, the personas and the
access log, with the same visibility as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AccessLogEntry
from fhir import systems
from referrals import services
from referrals.models import ReferralStatus as S
from tests.factories import ReferralFactory
from tests.fhir.conftest import FHIR, fhir_client, search_by_post


@pytest.fixture
def submitted(world, reference_data):
    group, _priority = reference_data
    return ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED, diagnosis_group=group)


def test_a_service_request_as_mapped(world, submitted):
    response = fhir_client(world.unit_staff).get(f"{FHIR}/ServiceRequest/{submitted.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["identifier"][0] == {"system": systems.REFERENCE, "value": submitted.reference}
    assert (body["status"], body["intent"]) == ("active", "order")
    assert body["reasonCode"][0]["coding"][0] == {"system": systems.ICD10, "code": "M17.1"}
    assert body["subject"] == {"reference": f"Patient/request-{submitted.pk}"}
    assert body["requester"]["reference"] == f"Organization/unit-{world.home_unit.pk}"
    assert body["occurrencePeriod"]["end"] == submitted.medical_target_date.isoformat()
    extensions = {e["url"]: e for e in body["extension"]}
    assert extensions[systems.EXT_ASA_CLASS]["valueCoding"]["code"] == "III"
    assert extensions[systems.EXT_CARE_GUARANTEE_DEADLINE]["valueDate"] == submitted.care_guarantee_deadline.isoformat()
    assert extensions[systems.EXT_COMPLICATING_DISEASES]["valueString"] == "Hjärtsvikt."
    logged = AccessLogEntry.objects.get(referral=submitted)
    assert (logged.user, logged.what) == (world.unit_staff, "fhir:ServiceRequest")


def test_the_patient_as_the_request_records_them(world, submitted):
    body = fhir_client(world.unit_staff).get(f"{FHIR}/Patient/request-{submitted.pk}").json()
    assert body["identifier"] == [{"system": systems.PERSONNUMMER, "value": submitted.patient.personal_number}]
    assert body["name"] == [{"text": submitted.patient_name}]
    assert AccessLogEntry.objects.filter(referral=submitted, what="fhir:Patient").count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("unit_staff", 200), ("sot", 200), ("other_region_staff", 404), ("receiving_staff", 404), ("director", 404)],
)
def test_read_personas(world, submitted, persona, status):
    client = fhir_client(getattr(world, persona))
    for path in (
        f"ServiceRequest/{submitted.pk}",
        f"Patient/request-{submitted.pk}",
        f"Task/coordination-{submitted.pk}",
    ):
        response = client.get(f"{FHIR}/{path}")
        assert response.status_code == status, path
        if status == 404:
            assert response.json()["resourceType"] == "OperationOutcome"
    assert AccessLogEntry.objects.filter(referral=submitted).exists() == (status == 200)


@pytest.mark.parametrize(
    ("persona", "status", "total"),
    [("unit_staff", 200, 1), ("sot", 200, 1), ("other_region_staff", 200, 0), ("director", 403, None)],
)
def test_search_personas(world, submitted, persona, status, total):
    for resource in ("ServiceRequest", "Task", "Patient"):
        response = fhir_client(getattr(world, persona)).get(f"{FHIR}/{resource}")
        assert response.status_code == status, resource
        assert response.json()["resourceType"] == ("Bundle" if status == 200 else "OperationOutcome")
        if total is not None:
            assert response.json()["total"] == total, resource


def test_anonymous_is_401_with_an_outcome(db):
    for path in ("ServiceRequest", "Task/coordination-1", "Slot", "Organization"):
        response = fhir_client().get(f"{FHIR}/{path}")
        assert response.status_code == 401, path
        assert response.json()["issue"][0]["code"] == "login"
        assert response["WWW-Authenticate"] == "Bearer"


def test_search_parameters(world, reference_data):
    group, _priority = reference_data
    first = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED, diagnosis_group=group)
    second = ReferralFactory(sending_unit=world.home_unit, status=S.DRAFT, diagnosis_group=group)
    client = fhir_client(world.unit_staff)

    def ids(query: str) -> set[str]:
        response = client.get(f"{FHIR}/ServiceRequest?{query}")
        assert response.status_code == 200, response.content
        return {e["resource"]["id"] for e in response.json().get("entry", [])}

    def ids_by_post(**params: str) -> set[str]:
        response = search_by_post(client, "ServiceRequest", params)
        assert response.status_code == 200, response.content
        assert "link" not in response.json()  # links would put the number in an address
        return {e["resource"]["id"] for e in response.json().get("entry", [])}

    both = {str(first.pk), str(second.pk)}
    assert ids(f"identifier={systems.REFERENCE}|{first.reference}") == {str(first.pk)}
    assert ids(f"identifier={first.reference}") == {str(first.pk)}
    number = first.patient.personal_number
    assert ids_by_post(**{"patient.identifier": f"{systems.PERSONNUMMER}|{number}"}) == {str(first.pk)}
    oid_form = f"{systems.PERSONNUMMER_OID}|{number[2:8]}-{number[8:]}"
    assert ids_by_post(**{"subject:Patient.identifier": oid_form}) == {str(first.pk)}
    assert ids("status=active") == {str(first.pk)}
    assert ids("status=draft,active") == both
    assert ids(f"requester=Organization/unit-{world.home_unit.pk}") == both
    assert ids(f"requester=Organization/unit-{world.far_unit.pk}") == set()
    today = timezone.localdate()
    assert ids(f"authored=ge{today - timedelta(days=1)}") == {str(first.pk)}
    assert ids(f"authored=lt{today - timedelta(days=1)}") == set()
    assert ids(f"_lastUpdated=ge{today.year}") == both


def test_a_personnummer_never_goes_in_an_address(world, submitted):
    client = fhir_client(world.unit_staff)
    number = submitted.patient.personal_number
    for path, name in (("ServiceRequest", "patient.identifier"), ("Patient", "identifier")):
        refused = client.get(f"{FHIR}/{path}", {name: f"{systems.PERSONNUMMER}|{number}"})
        assert refused.status_code == 400
        assert refused.json()["resourceType"] == "OperationOutcome"
        found = search_by_post(client, path, {name: f"{systems.PERSONNUMMER}|{number}"})
        assert found.json()["total"] == 1, path
    assert AccessLogEntry.objects.filter(referral=submitted).count() == 2


def test_paging_links_and_count(world, reference_data):
    group, _priority = reference_data
    ReferralFactory.create_batch(5, sending_unit=world.home_unit, status=S.SUBMITTED, diagnosis_group=group)
    client = fhir_client(world.unit_staff)
    page = client.get(f"{FHIR}/ServiceRequest?_count=2").json()
    assert page["total"] == 5 and len(page["entry"]) == 2
    links = {link["relation"]: link["url"] for link in page["link"]}
    assert "previous" not in links
    seen = [e["resource"]["id"] for e in page["entry"]]
    while "next" in links:
        page = client.get(links["next"]).json()
        links = {link["relation"]: link["url"] for link in page["link"]}
        seen += [e["resource"]["id"] for e in page.get("entry", [])]
        assert "previous" in links
    assert len(seen) == len(set(seen)) == 5
    count = client.get(f"{FHIR}/ServiceRequest?_summary=count").json()
    assert count["total"] == 5 and "entry" not in count
    assert AccessLogEntry.objects.count() == 5  # each request once, as it was shown; the count shows none


def test_tasks_follow_the_lifecycle(world, reference_data):
    group, _priority = reference_data
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.IN_REVIEW, diagnosis_group=group)
    sender = fhir_client(world.sot)
    task = sender.get(f"{FHIR}/Task/coordination-{referral.pk}").json()
    assert task["status"] == "received"
    assert task["owner"]["reference"] == f"Organization/region-{world.home_region.pk}"
    assert task["restriction"]["period"]["end"] == str(referral.care_guarantee_deadline)
    services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit, reason="Närmast")
    tasks = sender.get(f"{FHIR}/Task?focus=ServiceRequest/{referral.pk}").json()
    by_id = {e["resource"]["id"]: e["resource"] for e in tasks["entry"]}
    unit_task = next(t for i, t in by_id.items() if i.startswith("proposal-"))
    assert by_id[f"coordination-{referral.pk}"]["status"] == "in-progress"
    assert by_id[f"coordination-{referral.pk}"]["businessStatus"]["coding"][0]["code"] == "proposed"
    assert unit_task["status"] == "requested"
    assert unit_task["owner"]["reference"] == f"Organization/unit-{world.neighbour_unit.pk}"
    # The receiving unit finds its Task by owner and status, with the request included.
    receiver = fhir_client(world.receiving_staff)
    query = f"owner=Organization/unit-{world.neighbour_unit.pk}&status=requested&_include=Task:focus"
    found = receiver.get(f"{FHIR}/Task?{query}").json()
    modes = {(e["resource"]["resourceType"], e["search"]["mode"]) for e in found["entry"]}
    assert modes == {("Task", "match"), ("ServiceRequest", "include")}
    referral.refresh_from_db()
    services.referral_decline(referral=referral, by=world.receiving_staff, reason="no_capacity")
    declined = sender.get(f"{FHIR}/Task/{unit_task['id']}").json()
    assert declined["status"] == "rejected"
    assert declined["statusReason"]["coding"][0]["code"] == "no_capacity"
    assert sender.get(f"{FHIR}/Task?status=rejected").json()["total"] == 1
    assert sender.get(f"{FHIR}/Task?business-status=in_review").json()["total"] == 1
    # The declining unit no longer sees the request, nor its Task.
    assert receiver.get(f"{FHIR}/Task/{unit_task['id']}").status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_constant_queries_per_page(world, reference_data, django_assert_num_queries, size):
    group, _priority = reference_data
    for _n in range(size):
        referral = ReferralFactory(sending_unit=world.home_unit, status=S.IN_REVIEW, diagnosis_group=group)
        services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit, reason="Närmast")
    client = fhir_client(world.sot)
    client.get(f"{FHIR}/metadata")
    for path, queries in QUERIES.items():
        with django_assert_num_queries(queries):
            response = client.get(f"{FHIR}/{path}")
        assert response.status_code == 200
        assert len(response.json()["entry"]) >= size


# Per page, whatever its size: the token (read, last use written), the user's roles, the count, the rows,
# their placer identifiers, and the access log's one INSERT with its chain heads (savepoint, the requests'
# key-share lock, the heads' upsert, the advance, release). A Task page counts and reads both kinds of
# Task, and with _include reads the ServiceRequests once more. A query per row would fail here.
QUERIES = {"ServiceRequest": 11, "Patient": 11, "Task?_include=Task:focus": 15}
