"""The CapabilityStatement lists exactly what is served: this walks it and calls every interaction, search
parameter and include it names, and finds nothing served that it leaves out."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from capacity.weeks import first_open_week
from referrals import services
from referrals.models import ReferralStatus as S
from tests.factories import CapacityOfferFactory, ReferralFactory
from tests.fhir.conftest import FHIR, fhir_client, search_by_post
from tests.fhir.test_fhir_create import new_request

DEFAULTS = {"token": "x", "reference": "Organization/unit-0", "date": "ge2026-01-01", "string": "x"}


def test_metadata_is_public_and_4_0_1(db):
    body = fhir_client().get(f"{FHIR}/metadata").json()
    assert (body["resourceType"], body["fhirVersion"], body["kind"]) == ("CapabilityStatement", "4.0.1", "instance")
    listed = {r["type"] for r in body["rest"][0]["resource"]}
    assert {"ServiceRequest", "Task", "Patient", "Organization", "Schedule", "Slot", "Subscription"} <= listed


def test_walk_every_listed_interaction(world, reference_data):
    group, _priority = reference_data
    referral = ReferralFactory(
        sending_unit=world.home_unit, status=S.IN_REVIEW, diagnosis_group=group, reference="SOT-1999-000001"
    )
    services.referral_propose(referral=referral, by=world.sot, unit=world.neighbour_unit, reason="Närmast")
    week = first_open_week(timezone.localdate()) + timedelta(weeks=1)
    CapacityOfferFactory(unit=world.neighbour_unit, diagnosis_group=group, week_start=week)
    number = referral.patient.personal_number
    samples = {
        "patient.identifier": number,
        "subject:Patient.identifier": number,
        "actor": "HealthcareService/unit-0",
        "schedule": "Schedule/unit-0",
        "focus": "ServiceRequest/0",
    }
    client = fhir_client(world.sot)
    statement = client.get(f"{FHIR}/metadata").json()
    called = set()
    for resource in statement["rest"][0]["resource"]:
        name = resource["type"]
        interactions = {i["code"] for i in resource["interaction"]}
        assert "search-type" in interactions, name
        bundle = client.get(f"{FHIR}/{name}").json()
        assert bundle["resourceType"] == "Bundle", name
        assert search_by_post(client, name, {}).json()["total"] == bundle["total"], name
        called |= {f"fhir:{name.lower()}", f"fhir:{name.lower()}_search"}
        for param in resource.get("searchParam", []):
            value = number if name == "Patient" else samples.get(param["name"], DEFAULTS[param["type"]])
            if "only with POST _search" in param.get("documentation", ""):
                response = search_by_post(client, name, {param["name"]: value})
            else:
                response = client.get(f"{FHIR}/{name}", {param["name"]: value})
            assert response.status_code == 200, (name, param["name"], response.content)
        for include in resource.get("searchInclude", []):
            assert client.get(f"{FHIR}/{name}", {"_include": include}).status_code == 200
        if "read" in interactions:
            assert bundle.get("entry"), f"{name}: nothing to read"
            found = bundle["entry"][0]["resource"]
            read = client.get(f"{FHIR}/{name}/{found['id']}").json()
            assert (read["resourceType"], read["id"]) == (name, found["id"])
            called.add(f"fhir:{name.lower()}_read")
            if resource.get("versioning", "no-version") != "no-version":
                assert read["meta"]["versionId"], name
        if "vread" in interactions:
            path = f"{FHIR}/{name}/{read['id']}/_history/{read['meta']['versionId']}"
            assert client.get(path).json()["meta"] == read["meta"], name
            called.add(f"fhir:{name.lower()}_vread")
        if "update" in interactions:  # the SOT representative is not a Task's owner: refused, never 405
            found = bundle["entry"][0]["resource"]
            response = client.put(f"{FHIR}/{name}/{found['id']}", found, format="json")
            assert response.status_code in (403, 422), (name, response.content)
            assert response.json()["resourceType"] == "OperationOutcome"
        if "create" in interactions:
            created = fhir_client(world.unit_staff).post(f"{FHIR}/{name}", new_request(world), format="json")
            assert created.status_code == 201, created.content
    assert _fhir_url_names() - {"fhir:metadata"} == called, (
        "an address is served that the CapabilityStatement leaves out"
    )


def _fhir_url_names() -> set[str]:
    from fhir.urls import urlpatterns

    return {f"fhir:{p.name}" for p in urlpatterns}
