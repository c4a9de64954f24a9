"""Filing a request as a FHIR ServiceRequest: the REST API's intake body and rules, the same service, and
a 422 OperationOutcome for a broken rule with nothing stored. Conditional create never files twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from audit.models import AccessLogEntry
from catalog.models import MedicalPriority
from fhir import systems
from fhir.models import PlacerIdentifier
from referrals.models import Referral, ReferralEvent
from referrals.models import ReferralStatus as S
from referrals.rules import ERROR_DECISION_IN_FUTURE
from sot.personal_numbers import ERROR_CHECKSUM
from tests.fhir.conftest import FHIR, fhir_client
from tests.i18n import shown

PLACER = "urn:oid:1.2.752.29.4.19.999"


def new_request(world: Any, **changes: Any) -> dict[str, Any]:
    """A complete ServiceRequest as a record system sends it: the patient contained, status active (submit)."""
    today = timezone.localdate()
    priority = MedicalPriority.objects.order_by("sort_order").first()
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "contained": [
            {
                "resourceType": "Patient",
                "id": "p",
                "identifier": [{"system": systems.PERSONNUMMER_OID, "value": "19121212-1212"}],
                "name": [{"given": ["Tolvan"], "family": "Tolvansson"}],
                "telecom": [{"system": "phone", "value": "070-123 45 67"}],
            }
        ],
        "extension": [
            {
                "url": systems.EXT_MEDICAL_PRIORITY,
                "valueCoding": {"system": systems.MEDICAL_PRIORITY, "code": priority.code if priority else "x"},
            },
            {"url": systems.EXT_ASA_CLASS, "valueCoding": {"system": systems.ASA_CLASS, "code": "III"}},
            {"url": systems.EXT_COMPLICATING_DISEASES, "valueString": "Hjärtsvikt."},
            {"url": systems.EXT_DECISION_DATE, "valueDate": (today - timedelta(days=5)).isoformat()},
            {"url": systems.EXT_CONSENT_REFERRAL, "valueBoolean": True},
            {"url": systems.EXT_CONSENT_DISCLOSURE, "valueBoolean": True},
        ],
        "identifier": [{"system": PLACER, "value": "remiss-4711"}],
        "status": "active",
        "intent": "order",
        "subject": {"reference": "#p"},
        "requester": {"reference": f"Organization/unit-{world.home_unit.pk}"},
        "reasonCode": [{"coding": [{"system": systems.ICD10, "code": "M17.1"}]}],
    }
    resource.update(changes)
    return resource


def with_extension(resource: dict[str, Any], url: str, **value: Any) -> dict[str, Any]:
    resource["extension"] = [e for e in resource["extension"] if e["url"] != url] + [{"url": url, **value}]
    return resource


def test_create_files_and_submits_through_the_intake_service(world, reference_data):
    response = fhir_client(world.unit_staff).post(f"{FHIR}/ServiceRequest", new_request(world), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    referral = Referral.objects.get()
    assert response["Location"] == f"/fhir/R4/ServiceRequest/{referral.pk}"
    assert (referral.status, referral.patient.personal_number, referral.patient_name) == (
        S.SUBMITTED,
        "191212121212",
        "Tolvan Tolvansson",
    )
    assert referral.asa_class == 3 and referral.icd10_code == "M17.1"
    assert body["status"] == "active"
    assert {"system": PLACER, "value": "remiss-4711"} in body["identifier"]
    assert set(ReferralEvent.objects.values_list("kind", flat=True)) == {"created", "submitted"}
    assert AccessLogEntry.objects.filter(referral=referral).exists()


def test_conditional_create_never_files_twice(world, reference_data):
    client = fhir_client(world.unit_staff)
    condition = f"identifier={PLACER}|remiss-4711"
    first = client.post(f"{FHIR}/ServiceRequest", new_request(world), format="json", HTTP_IF_NONE_EXIST=condition)
    again = client.post(f"{FHIR}/ServiceRequest", new_request(world), format="json", HTTP_IF_NONE_EXIST=condition)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Referral.objects.count() == 1 and PlacerIdentifier.objects.count() == 1
    found = client.get(f"{FHIR}/ServiceRequest", {"identifier": f"{PLACER}|remiss-4711"}).json()
    assert found["total"] == 1
    # Without the header a repeat with the same identifier answers the request filed before: never two.
    repeated = client.post(f"{FHIR}/ServiceRequest", new_request(world), format="json")
    assert repeated.status_code == 200 and Referral.objects.count() == 1


def _refused(world, resource: dict[str, Any], language: str = "sv") -> list[dict[str, Any]]:
    response = fhir_client(world.unit_staff, language=language).post(f"{FHIR}/ServiceRequest", resource, format="json")
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert Referral.objects.count() == 0 and ReferralEvent.objects.count() == 0
    return body["issue"]


def test_an_invalid_personnummer_is_422(world, reference_data):
    resource = new_request(world)
    resource["contained"][0]["identifier"][0]["value"] = "19121212-1213"
    [issue] = _refused(world, resource)
    assert issue["diagnostics"] == shown(ERROR_CHECKSUM)
    assert issue["expression"] == ["Patient.identifier"]
    assert issue["code"] == "business-rule"


def test_an_unknown_icd10_code_is_422(world, reference_data):
    resource = new_request(world, reasonCode=[{"coding": [{"system": systems.ICD10, "code": "Ö99.9"}]}])
    [issue] = _refused(world, resource)
    assert issue["expression"] == ["ServiceRequest.reasonCode"]


@pytest.mark.parametrize("code", ["VII", "0", "IIII"])
def test_an_asa_class_the_form_refuses_is_422(world, reference_data, code):
    resource = with_extension(new_request(world), systems.EXT_ASA_CLASS, valueCoding={"code": code})
    [issue] = _refused(world, resource)
    assert issue["expression"] == [f"ServiceRequest.extension('{systems.EXT_ASA_CLASS}')"]


def test_a_decision_date_in_the_future_is_422_in_english_too(world, reference_data):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    resource = with_extension(new_request(world), systems.EXT_DECISION_DATE, valueDate=tomorrow)
    issues = _refused(world, resource, language="en")
    assert shown(ERROR_DECISION_IN_FUTURE, language="en") in [i["diagnostics"] for i in issues]


def test_every_broken_rule_is_told_at_once(world, reference_data):
    resource = new_request(world, reasonCode=[{"coding": [{"code": "nonsense"}]}])
    resource["contained"][0]["identifier"][0]["value"] = "123"
    issues = _refused(world, resource)
    assert {i["expression"][0] for i in issues} >= {"Patient.identifier", "ServiceRequest.reasonCode"}


def test_the_patient_must_be_contained(world, reference_data):
    resource = new_request(world, subject={"reference": "Patient/request-1"})
    [issue] = _refused(world, resource)
    assert issue["expression"] == ["ServiceRequest.subject"]


def test_a_draft_is_kept_as_a_draft(world, reference_data):
    resource = new_request(world, status="draft")
    response = fhir_client(world.unit_staff).post(f"{FHIR}/ServiceRequest", resource, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    assert Referral.objects.get().status == S.DRAFT


def test_the_readmes_request_files_as_it_says(world):
    from catalog.reference_data import load_reference_data
    from tests.fhir.test_fhir_models import readme_examples

    load_reference_data()
    [example] = [e for e in readme_examples() if e["resourceType"] == "ServiceRequest"]
    client = fhir_client(world.unit_staff)
    condition = "identifier=urn:oid:1.2.752.29.4.19.999|remiss-4711"
    response = client.post(f"{FHIR}/ServiceRequest", example, format="json", HTTP_IF_NONE_EXIST=condition)
    assert response.status_code == 201, response.content
    assert Referral.objects.get().status == S.SUBMITTED
    again = client.post(f"{FHIR}/ServiceRequest", example, format="json", HTTP_IF_NONE_EXIST=condition)
    assert again.status_code == 200 and Referral.objects.count() == 1
