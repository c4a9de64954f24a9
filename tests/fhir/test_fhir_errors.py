"""Every error of the FHIR interface is an OperationOutcome in the caller's language, with FHIR's status:
401 without or with a bad token, 403 a wrong role, 404 outside the caller's scope, 400 what cannot be read,
405 an interaction not served, 406 a format not served, 415 a body that is not JSON. Nothing is stored."""

from __future__ import annotations

import pytest

from fhir.outcomes import MESSAGES
from referrals.models import Referral
from referrals.models import ReferralStatus as S
from tests.factories import ReferralFactory
from tests.fhir.conftest import FHIR, FHIR_JSON, fhir_client
from tests.i18n import shown


def outcome_of(response, status: int, code: str) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(FHIR_JSON)
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    [issue] = body["issue"]
    assert (issue["severity"], issue["code"]) == ("error", code)
    return issue["diagnostics"]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_token_and_a_bad_token_are_401_in_the_callers_language(db, language):
    anonymous = fhir_client(language=language).get(f"{FHIR}/ServiceRequest")
    assert outcome_of(anonymous, 401, "login") == shown(MESSAGES[401], language=language)
    bad = fhir_client(language=language)
    bad.credentials(HTTP_AUTHORIZATION="Bearer sot_not-a-token")
    assert outcome_of(bad.get(f"{FHIR}/ServiceRequest"), 401, "login") == shown(MESSAGES[401], language=language)


def test_the_messages_are_translated():
    for message in MESSAGES.values():
        assert shown(message, language="sv") != shown(message, language="en")


def test_wrong_role_is_403(world, reference_data):
    director = fhir_client(world.director, language="sv")
    assert outcome_of(director.get(f"{FHIR}/ServiceRequest"), 403, "forbidden") == shown(MESSAGES[403])
    assert outcome_of(fhir_client(world.unit_staff).get(f"{FHIR}/Slot"), 403, "forbidden")
    body = {"resourceType": "ServiceRequest", "status": "draft", "intent": "order"}
    created = fhir_client(world.sot).post(f"{FHIR}/ServiceRequest", body, format="json")
    outcome_of(created, 403, "forbidden")


def test_outside_the_scope_is_404(world, reference_data):
    group, _priority = reference_data
    referral = ReferralFactory(sending_unit=world.home_unit, status=S.SUBMITTED, diagnosis_group=group)
    stranger = fhir_client(world.other_region_staff, language="sv")
    for path in (
        f"ServiceRequest/{referral.pk}",
        "ServiceRequest/999999",
        "Task/coordination-x",
        "Nothing",
        "Patient/7",
    ):
        assert outcome_of(stranger.get(f"{FHIR}/{path}"), 404, "not-found") == shown(MESSAGES[404]), path


def test_what_cannot_be_read_is_400_and_stores_nothing(world, reference_data):
    client = fhir_client(world.unit_staff)
    malformed = client.post(f"{FHIR}/ServiceRequest", b'{"resourceType": "ServiceRequest", ', content_type=FHIR_JSON)
    outcome_of(malformed, 400, "invalid")
    wrong_type = client.post(f"{FHIR}/ServiceRequest", {"resourceType": "Patient"}, format="json")
    outcome_of(wrong_type, 400, "invalid")
    not_an_object = client.post(f"{FHIR}/ServiceRequest", b"[1, 2]", content_type="application/json")
    outcome_of(not_an_object, 400, "invalid")
    assert Referral.objects.count() == 0
    for query in (
        "colour=blue",
        "_count=many",
        "_page=0",
        "_summary=true",
        "authored=yesterday",
        "_include=Task:owner",
    ):
        resource = "Task" if query.startswith("_include") else "ServiceRequest"
        outcome_of(client.get(f"{FHIR}/{resource}?{query}"), 400, "invalid")


def test_interactions_not_served(world, reference_data):
    client = fhir_client(world.unit_staff)
    assert outcome_of(client.put(f"{FHIR}/ServiceRequest/1", {}, format="json"), 405, "not-supported")
    assert outcome_of(client.post(f"{FHIR}/Organization", {}, format="json"), 405, "not-supported")
    assert outcome_of(client.delete(f"{FHIR}/Task/coordination-1"), 405, "not-supported")
    assert outcome_of(client.get(f"{FHIR}/ServiceRequest?_format=xml"), 406, "not-supported")
    text = client.post(f"{FHIR}/ServiceRequest", "resourceType=ServiceRequest", content_type="text/plain")
    assert outcome_of(text, 415, "not-supported")


@pytest.mark.parametrize("format_", ["json", "application/fhir+json", "application/json"])
def test_json_is_asked_for_in_every_way(world, reference_data, format_):
    client = fhir_client(world.unit_staff)
    response = client.get(f"{FHIR}/ServiceRequest", {"_format": format_}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(FHIR_JSON)
    assert response["Cache-Control"] == "no-store"
